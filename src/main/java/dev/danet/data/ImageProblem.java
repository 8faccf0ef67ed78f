package dev.danet.data;

import dev.danet.DanetException;

/**
 * Why an image could not be read, with the usual one-line message. The kind lets a caller
 * that answers someone else (the HTTP service) pick the right status without parsing text.
 */
public final class ImageProblem extends DanetException {

    /** What is wrong with the image. */
    public enum Kind {
        /** Zero bytes. */
        EMPTY,
        /** No decoder recognises the contents. */
        NOT_AN_IMAGE,
        /** A decoder recognised it but the data is cut short or damaged. */
        CORRUPT,
        /** More pixels (from the header) or bytes than the limit. */
        TOO_LARGE,
        /** The file itself could not be read (missing, a folder, no permission, I/O error). */
        UNREADABLE
    }

    private final Kind kind;

    public ImageProblem(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ImageProblem(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
