package dev.danet.synth;

import java.util.List;

/**
 * The Cityscapes classes the synthetic street scenes use: the labelId stored in the
 * {@code *_gtFine_labelIds.png} files, the Cityscapes trainId a reader maps it to (255:
 * ignored), and the Cityscapes display colour.
 */
public enum SyntheticClass {
    UNLABELED(0, 255, "unlabeled", 0x000000),
    ROAD(7, 0, "road", 0x804080),
    SIDEWALK(8, 1, "sidewalk", 0xF423E8),
    BUILDING(11, 2, "building", 0x464646),
    WALL(12, 3, "wall", 0x66669C),
    FENCE(13, 4, "fence", 0xBE9999),
    POLE(17, 5, "pole", 0x999999),
    TRAFFIC_SIGN(20, 7, "traffic sign", 0xDCDC00),
    VEGETATION(21, 8, "vegetation", 0x6B8E23),
    TERRAIN(22, 9, "terrain", 0x98FB98),
    SKY(23, 10, "sky", 0x4682B4),
    PERSON(24, 11, "person", 0xDC143C),
    CAR(26, 13, "car", 0x00008E),
    TRUCK(27, 14, "truck", 0x000046),
    BUS(28, 15, "bus", 0x003C64);

    private static final SyntheticClass[] BY_LABEL_ID = new SyntheticClass[256];

    static {
        for (SyntheticClass c : values()) {
            BY_LABEL_ID[c.labelId] = c;
        }
    }

    private final int labelId;
    private final int trainId;
    private final String cityscapesName;
    private final int colour;

    SyntheticClass(int labelId, int trainId, String cityscapesName, int colour) {
        this.labelId = labelId;
        this.trainId = trainId;
        this.cityscapesName = cityscapesName;
        this.colour = colour;
    }

    /** The Cityscapes labelId (the value stored in the label PNG). */
    public int labelId() {
        return labelId;
    }

    /** The Cityscapes trainId (0..18), or 255 for void. */
    public int trainId() {
        return trainId;
    }

    /** The Cityscapes class name, e.g. "traffic sign". */
    public String cityscapesName() {
        return cityscapesName;
    }

    /** The Cityscapes display colour, packed 0xRRGGBB. */
    public int colour() {
        return colour;
    }

    /** The class with this labelId, or null if the generator never writes it. */
    public static SyntheticClass ofLabelId(int labelId) {
        return labelId >= 0 && labelId < 256 ? BY_LABEL_ID[labelId] : null;
    }

    /** Every class the generator writes, void first. */
    public static List<SyntheticClass> all() {
        return List.of(values());
    }
}
