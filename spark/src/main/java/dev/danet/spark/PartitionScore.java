package dev.danet.spark;

import dev.danet.eval.EvaluationResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition's evaluation: its confusion matrix (row-major, rows = truth) and what it
 * could not load. Partitions' scores add up to the whole split's, exactly (counts are longs).
 *
 * @param counts confusion counts, K x K row-major
 * @param images images evaluated
 * @param skipped images that could not be loaded
 * @param problems their errors, in index order
 * @param inferenceSeconds time spent in inference
 */
record PartitionScore(long[] counts, int images, int skipped, List<String> problems, double inferenceSeconds)
        implements Serializable {

    PartitionScore {
        problems = new ArrayList<>(problems);
    }

    static PartitionScore empty(int classes) {
        return new PartitionScore(new long[classes * classes], 0, 0, List.of(), 0);
    }

    static PartitionScore of(EvaluationResult result, List<String> problems) {
        return new PartitionScore(result.confusion().toArray(), result.images(), result.skippedImages(), problems,
                result.inferenceSeconds());
    }

    /** This partition's score and the next one's, problems in partition order. */
    PartitionScore plus(PartitionScore next) {
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += next.counts[i];
        }
        List<String> all = new ArrayList<>(problems);
        all.addAll(next.problems);
        return new PartitionScore(sum, images + next.images, skipped + next.skipped, all,
                inferenceSeconds + next.inferenceSeconds);
    }

    /** The counts as rows (rows = truth). */
    long[][] rows() {
        int k = (int) Math.round(Math.sqrt(counts.length));
        long[][] rows = new long[k][k];
        for (int t = 0; t < k; t++) {
            System.arraycopy(counts, t * k, rows[t], 0, k);
        }
        return rows;
    }
}
