package dev.danet.serve;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Admission and ordering for work on the one shared network.
 *
 * <p>Forward passes run one at a time (a fair lock): the network's blocks and parameters are
 * shared, and on a small CPU two concurrent passes would only split the same cores. Safety
 * therefore does not depend on libtorch or DJL being re-entrant.
 *
 * <p>A request is admitted before its body is read; at most {@code 1 + maxWaiting} requests are
 * admitted at once, so the memory of uploads in flight is bounded by that many times the upload
 * limit. Others get 503 at once; an admitted request that waits longer than {@code maxWait} for
 * the model gets 503 too.
 */
public final class InferenceQueue {

    private final int capacity;
    private final Duration maxWait;
    private final ReentrantLock model = new ReentrantLock(true);
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    public InferenceQueue(int maxWaiting, Duration maxWait) {
        this.capacity = 1 + maxWaiting;
        this.maxWait = maxWait;
    }

    /** A place in the queue; close it when the response is written. */
    public final class Ticket implements AutoCloseable {

        private boolean open = true;
        private long waitedNanos;

        /** Runs work on the network once it is this ticket's turn. */
        public <T> T exclusive(Supplier<T> work) {
            long start = System.nanoTime();
            boolean locked;
            try {
                locked = model.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw HttpProblem.busy("server shutting down");
            }
            waitedNanos += System.nanoTime() - start;
            if (!locked) {
                rejected.incrementAndGet();
                throw HttpProblem.busy("server busy: waited " + maxWait.toSeconds()
                        + " s for the model without getting a turn; try again later");
            }
            try {
                return work.get();
            } finally {
                model.unlock();
            }
        }

        /** Seconds spent waiting for the model so far. */
        public double waitedSeconds() {
            return waitedNanos / 1e9;
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                admitted.decrementAndGet();
                completed.incrementAndGet();
            }
        }
    }

    /** Admits a request, or throws a 503 problem when the queue is full. */
    public Ticket admit() {
        int now = admitted.incrementAndGet();
        if (now > capacity) {
            admitted.decrementAndGet();
            rejected.incrementAndGet();
            throw HttpProblem.busy("server busy: " + capacity + " requests are already being processed or waiting"
                    + " (the limit); try again shortly");
        }
        peak.accumulateAndGet(now, Math::max);
        return new Ticket();
    }

    /** Requests admitted and not finished: the one running plus those waiting. */
    public int inFlight() {
        return admitted.get();
    }

    public int capacity() {
        return capacity;
    }

    public int peak() {
        return peak.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long completed() {
        return completed.get();
    }
}
