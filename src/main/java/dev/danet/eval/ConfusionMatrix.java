package dev.danet.eval;

import dev.danet.data.ClassSet;
import java.util.Arrays;
import java.util.List;

/**
 * Pixel counts of a segmentation run: entry (t, p) counts the pixels whose ground truth is
 * class t and whose prediction is class p (rows = truth, columns = prediction). Pixels
 * labelled {@link ClassSet#IGNORE} are not counted at all, whatever was predicted there.
 *
 * <p>Thread-safe: {@link #add}, {@link #merge} and the readers synchronise on the matrix, so
 * several workers may add into one matrix (or each fill their own and merge).
 */
public final class ConfusionMatrix {

    private final int classes;
    private final long[] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1 || classes >= ClassSet.IGNORE) {
            throw new IllegalArgumentException("classes must be 1 to " + (ClassSet.IGNORE - 1) + ", got " + classes);
        }
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** A matrix holding the given counts, rows = truth; for tests and for reading a saved matrix back. */
    public static ConfusionMatrix of(long[][] rows) {
        ConfusionMatrix m = new ConfusionMatrix(rows.length);
        for (int t = 0; t < rows.length; t++) {
            if (rows[t].length != rows.length) {
                throw new IllegalArgumentException("row " + t + " has " + rows[t].length + " entries, expected " + rows.length);
            }
            for (int p = 0; p < rows.length; p++) {
                if (rows[t][p] < 0) {
                    throw new IllegalArgumentException("negative count at (" + t + ", " + p + ")");
                }
                m.counts[t * rows.length + p] = rows[t][p];
            }
        }
        return m;
    }

    public int classes() {
        return classes;
    }

    /**
     * Counts one image. truth holds class indices or {@link ClassSet#IGNORE}; prediction holds
     * class indices, pixel for pixel.
     *
     * @throws IllegalArgumentException for arrays of different lengths or a value out of range
     *     (the matrix is left unchanged)
     */
    public void add(int[] truth, int[] prediction) {
        if (truth.length != prediction.length) {
            throw new IllegalArgumentException("truth has " + truth.length + " pixels but prediction " + prediction.length);
        }
        long[] local = new long[counts.length];
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            if (t == ClassSet.IGNORE) {
                continue;
            }
            int p = prediction[i];
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("truth label " + t + " at pixel " + i + " is neither a class (0-"
                        + (classes - 1) + ") nor the ignore label " + ClassSet.IGNORE);
            }
            if (p < 0 || p >= classes) {
                throw new IllegalArgumentException("predicted class " + p + " at pixel " + i + " is out of range 0-"
                        + (classes - 1));
            }
            local[t * classes + p]++;
        }
        synchronized (this) {
            for (int i = 0; i < local.length; i++) {
                counts[i] += local[i];
            }
        }
    }

    /** Adds another matrix's counts into this one. */
    public void merge(ConfusionMatrix other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("cannot merge a " + other.classes + "-class matrix into a "
                    + classes + "-class one");
        }
        long[] theirs = other.toArray();
        synchronized (this) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += theirs[i];
            }
        }
    }

    /** Pixels with ground truth t predicted as p. */
    public synchronized long count(int truth, int prediction) {
        return counts[truth * classes + prediction];
    }

    /** A copy of the counts, row-major (rows = truth). */
    public synchronized long[] toArray() {
        return counts.clone();
    }

    /** A copy of the counts as rows (rows = truth). */
    public long[][] toRows() {
        long[] flat = toArray();
        long[][] rows = new long[classes][];
        for (int t = 0; t < classes; t++) {
            rows[t] = Arrays.copyOfRange(flat, t * classes, (t + 1) * classes);
        }
        return rows;
    }

    /** Labelled pixels counted so far. */
    public synchronized long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    /**
     * The matrix as CSV: a header row "truth\prediction" then the class names, then one row per
     * ground-truth class. Names with a comma or quote are quoted.
     */
    public String toCsv(List<String> classNames) {
        if (classNames.size() != classes) {
            throw new IllegalArgumentException(classNames.size() + " names for " + classes + " classes");
        }
        long[] flat = toArray();
        StringBuilder out = new StringBuilder("truth\\prediction");
        for (String name : classNames) {
            out.append(',').append(csv(name));
        }
        out.append('\n');
        for (int t = 0; t < classes; t++) {
            out.append(csv(classNames.get(t)));
            for (int p = 0; p < classes; p++) {
                out.append(',').append(flat[t * classes + p]);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String csv(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
