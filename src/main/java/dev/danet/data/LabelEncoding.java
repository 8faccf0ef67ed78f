package dev.danet.data;

import dev.danet.DanetException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How a dataset's label files encode classes: the class index (or ignore) of every value a
 * label file may store, as a lookup table. A value the table does not know is an error that
 * names the file, the value and where it occurs.
 */
public final class LabelEncoding {

    private static final int INVALID = -1;
    private static final int RAW_VALUES = 1 << 16;

    private final int[] table;
    private final String description;

    private LabelEncoding(int[] table, String description) {
        this.table = table;
        this.description = description;
    }

    /** Values 0..classes-1 are classes, 255 is ignore (VOC, Cityscapes trainIds, generic masks). */
    public static LabelEncoding identity(int classes) {
        int[] table = invalidTable();
        for (int v = 0; v < classes; v++) {
            table[v] = v;
        }
        table[ClassSet.IGNORE] = ClassSet.IGNORE;
        return new LabelEncoding(table, "0.." + (classes - 1) + " or 255");
    }

    /** Value 0 is ignore, 1..classes are classes 0..classes-1, 255 is ignore (ADE20K, PASCAL Context 59). */
    public static LabelEncoding zeroIgnoredShiftDown(int classes) {
        int[] table = invalidTable();
        table[0] = ClassSet.IGNORE;
        for (int v = 1; v <= classes; v++) {
            table[v] = v - 1;
        }
        table[ClassSet.IGNORE] = ClassSet.IGNORE;
        return new LabelEncoding(table, "0 (ignored), 1.." + classes + " or 255");
    }

    /** An explicit table: rawToClass[v] is the class of stored value v (IGNORE allowed); others invalid. */
    public static LabelEncoding of(int[] rawToClass, String description) {
        int[] table = invalidTable();
        System.arraycopy(rawToClass, 0, table, 0, rawToClass.length);
        return new LabelEncoding(table, description);
    }

    /** Class index of a stored value, or -1 when the value is not part of the label set. */
    public int classOf(int raw) {
        return raw >= 0 && raw < RAW_VALUES ? table[raw] : INVALID;
    }

    /** The labels with their stored values replaced by class indices. */
    public LabelGrid decode(LabelGrid raw, Path file) {
        int[] out = new int[raw.values().length];
        for (int i = 0; i < out.length; i++) {
            int mapped = classOf(raw.values()[i]);
            if (mapped == INVALID) {
                throw new DanetException(file + ": label value " + raw.values()[i] + " at x=" + (i % raw.width())
                        + ", y=" + (i / raw.width()) + " is outside the class set (expected " + description + ")");
            }
            out[i] = mapped;
        }
        return new LabelGrid(raw.width(), raw.height(), out);
    }

    private static int[] invalidTable() {
        int[] table = new int[RAW_VALUES];
        Arrays.fill(table, INVALID);
        return table;
    }
}
