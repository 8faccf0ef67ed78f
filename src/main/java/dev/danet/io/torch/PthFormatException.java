package dev.danet.io.torch;

/**
 * Internal: what is wrong with a checkpoint's content, without the file name. {@link PthReader}
 * turns it into a {@link dev.danet.DanetException} naming the file.
 */
final class PthFormatException extends RuntimeException {

    enum Kind { NOT_A_CHECKPOINT, CORRUPT, UNSUPPORTED }

    final Kind kind;

    PthFormatException(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    static PthFormatException corrupt(String detail) {
        return new PthFormatException(Kind.CORRUPT, detail);
    }

    static PthFormatException notACheckpoint(String detail) {
        return new PthFormatException(Kind.NOT_A_CHECKPOINT, detail);
    }

    static PthFormatException unsupported(String detail) {
        return new PthFormatException(Kind.UNSUPPORTED, detail);
    }
}
