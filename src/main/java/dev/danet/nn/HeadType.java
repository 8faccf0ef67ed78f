package dev.danet.nn;

import java.util.Locale;

/** The segmentation heads of the paper's ablation. */
public enum HeadType {
    /** PAM and CAM branches fused by summation, with a loss on each branch too. */
    DANET(true, true),
    /** Position attention branch only. */
    PAM(true, false),
    /** Channel attention branch only. */
    CAM(false, true),
    /** The dilated FCN baseline: conv 3x3, BN, ReLU, dropout, 1x1 classifier. */
    FCN(false, false);

    private final boolean position;
    private final boolean channel;

    HeadType(boolean position, boolean channel) {
        this.position = position;
        this.channel = channel;
    }

    public boolean usesPositionAttention() {
        return position;
    }

    public boolean usesChannelAttention() {
        return channel;
    }

    /** Number of score maps the head returns: 3 for DANet (fused, PAM, CAM), else 1. */
    public int outputCount() {
        return position && channel ? 3 : 1;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static HeadType parse(String text) {
        for (HeadType type : values()) {
            if (type.id().equalsIgnoreCase(text.trim()) || (type == PAM && text.equalsIgnoreCase("pam-only"))
                    || (type == CAM && text.equalsIgnoreCase("cam-only"))) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown head '" + text + "': use danet, pam, cam or fcn");
    }
}
