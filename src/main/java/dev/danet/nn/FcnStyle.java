package dev.danet.nn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How an FCN head is built; the paper's baseline and mmsegmentation's differ. */
public enum FcnStyle {
    /** conv 3x3 to in/4, BN, ReLU, dropout, 1x1 classifier (reference DANet, torchvision). */
    ONE_CONV("one-conv"),
    /**
     * Two conv-BN-ReLU units to in/4, then one over the concatenation of the head's input and
     * their output, dropout, 1x1 classifier (mmsegmentation's FCNHead with num_convs=2,
     * concat_input=True).
     */
    TWO_CONVS_CONCAT("two-convs-concat");

    private final String id;

    FcnStyle(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static FcnStyle parse(String text) {
        for (FcnStyle style : values()) {
            if (style.id.equalsIgnoreCase(text.trim())) {
                return style;
            }
        }
        throw new IllegalArgumentException("unknown FCN style '" + text + "': use one-conv or two-convs-concat");
    }
}
