package dev.danet.serve;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Admission and ordering for work on the one shared network.
 *
 * <p>Forward passes run one at a time, in arrival order, on one dedicated thread: the network's
 * blocks and parameters are shared, and on a small CPU two concurrent passes would only split
 * the same cores, so safety does not depend on libtorch or DJL being re-entrant. One thread,
 * rather than whichever HTTP thread holds a lock, also keeps native memory flat: every thread
 * that calls into libtorch gets its own malloc arena and OpenMP team (measured: RSS after a
 * 50-request burst 767 MB from the HTTP threads, see docs/serving.md for the figure with this
 * design).
 *
 * <p>A request is admitted once its body has arrived (a body still arriving holds an
 * {@link UploadSlots upload slot}, not a place here); at most {@code 1 + maxWaiting} requests
 * are admitted at once. Others get 503 at once; an admitted request that waits longer than
 * {@code maxWait} for the model gets 503 too.
 */
public final class InferenceQueue implements AutoCloseable {

    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    private final int capacity;
    private final Duration maxWait;
    private final ExecutorService model = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "danet-inference");
        thread.setDaemon(true);
        return thread;
    });
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
        private volatile long waitedNanos;

        /**
         * Runs work on the inference thread once it is this ticket's turn and returns its result;
         * 503 if the turn does not come within the wait limit.
         */
        public <T> T exclusive(Supplier<T> work) {
            long queued = System.nanoTime();
            // Who moves first from WAITING decides: the task starts, or the caller gives up.
            AtomicInteger phase = new AtomicInteger(WAITING);
            FutureTask<T> task = new FutureTask<>(() -> {
                if (!phase.compareAndSet(WAITING, RUNNING)) {
                    return null; // abandoned: the caller has answered 503 already
                }
                waitedNanos += System.nanoTime() - queued; // before the work runs, so that it can report it
                return work.get();
            });
            model.execute(task);
            try {
                try {
                    return task.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (phase.compareAndSet(WAITING, ABANDONED)) {
                        rejected.incrementAndGet();
                        throw HttpProblem.busy("server busy: waited " + maxWait.toSeconds()
                                + " s for the model without getting a turn; try again later");
                    }
                    return task.get(); // it is running: let it finish
                }
            } catch (InterruptedException e) {
                phase.compareAndSet(WAITING, ABANDONED);
                Thread.currentThread().interrupt();
                throw HttpProblem.busy("server shutting down");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
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

    /** Stops the inference thread; work not yet started is dropped. */
    @Override
    public void close() {
        model.shutdownNow();
    }
}
