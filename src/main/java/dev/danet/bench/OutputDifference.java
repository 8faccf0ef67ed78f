package dev.danet.bench;

/** How far one output is from a reference output of the same shape. */
public record OutputDifference(double relativeL2, double maxAbsDifference) {

    /** The relative L2 distance ||a - reference|| / ||reference|| and the largest |a - reference|. */
    public static OutputDifference of(float[] a, float[] reference) {
        if (a.length != reference.length) {
            throw new IllegalArgumentException("outputs of different sizes: " + a.length + " and " + reference.length);
        }
        double diff = 0;
        double norm = 0;
        double max = 0;
        for (int j = 0; j < a.length; j++) {
            double d = a[j] - reference[j];
            diff += d * d;
            norm += (double) reference[j] * reference[j];
            max = Math.max(max, Math.abs(d));
        }
        return new OutputDifference(Math.sqrt(diff / norm), max);
    }
}
