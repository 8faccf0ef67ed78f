package dev.danet.data;

import dev.danet.DanetException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to do with a sample that cannot be used (a missing label, an unreadable image, a label
 * value outside the class set): stop with its error, or skip it and keep the error for the
 * report. Nothing is dropped without a trace.
 */
public final class BadSamples {

    /** Stop at the first bad sample, or skip and report them all. */
    public enum Policy { FAIL, SKIP }

    private final Policy policy;
    // A set: a bad sample met again (every epoch, every validation) is reported once.
    private final Set<String> problems = Collections.synchronizedSet(new LinkedHashSet<>());

    public BadSamples(Policy policy) {
        this.policy = policy;
    }

    public static BadSamples failFast() {
        return new BadSamples(Policy.FAIL);
    }

    public Policy policy() {
        return policy;
    }

    /** Records the problem, or throws it when the policy is to stop. */
    public void report(DanetException problem) {
        if (policy == Policy.FAIL) {
            throw problem;
        }
        problems.add(problem.getMessage());
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }
}
