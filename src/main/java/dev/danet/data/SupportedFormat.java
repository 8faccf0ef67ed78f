package dev.danet.data;

/** The image formats the project reads, each recognised by the bytes its files start with. */
enum SupportedFormat {
    PNG(new int[] {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}),
    JPEG(new int[] {0xff, 0xd8, 0xff}),
    BMP(new int[] {'B', 'M'}),
    GIF(new int[] {'G', 'I', 'F', '8'});

    /** The formats' names as messages list them. */
    static final String NAMES = "PNG, JPEG, BMP, GIF";

    private final int[] magic;

    SupportedFormat(int[] magic) {
        this.magic = magic;
    }

    /** Whether the first n bytes of a file start like one of the formats. */
    static boolean recognises(byte[] head, int n) {
        for (SupportedFormat format : values()) {
            if (format.startsIn(head, n)) {
                return true;
            }
        }
        return false;
    }

    private boolean startsIn(byte[] head, int n) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
