package dev.danet.train;

/**
 * The "poly" learning rate of the reference, per iteration: base * (1 - iteration / total)^power.
 *
 * @param baseLr learning rate at iteration 0
 * @param totalIterations iterations of the whole run
 * @param power the exponent (0.9)
 */
public record PolySchedule(double baseLr, int totalIterations, double power) {

    public double at(int iteration) {
        double progress = Math.min(1.0, (double) iteration / totalIterations);
        return baseLr * Math.pow(1 - progress, power);
    }
}
