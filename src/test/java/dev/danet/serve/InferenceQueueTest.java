package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The queue admits one running plus maxWaiting requests, and turns the rest away with 503. */
class InferenceQueueTest {

    @Test
    void requestsBeyondTheCapacityAreRefusedAtOnce() {
        try (InferenceQueue queue = new InferenceQueue(2, Duration.ofSeconds(5))) {
            refusesBeyondCapacity(queue);
        }
    }

    private static void refusesBeyondCapacity(InferenceQueue queue) {
        InferenceQueue.Ticket a = queue.admit();
        InferenceQueue.Ticket b = queue.admit();
        InferenceQueue.Ticket c = queue.admit();
        HttpProblem busy = assertThrows(HttpProblem.class, queue::admit);
        assertEquals(503, busy.status());
        assertTrue(busy.getMessage().contains("server busy"), busy.getMessage());
        assertEquals(3, queue.inFlight());
        a.close();
        a.close(); // closing twice frees one place only
        queue.admit().close();
        b.close();
        c.close();
        assertEquals(0, queue.inFlight());
        assertEquals(1, queue.rejected());
        assertEquals(3, queue.peak());
    }

    @Test
    void workRunsOneAtATimeAndAWaitPastTheLimitIs503() throws Exception {
        try (InferenceQueue queue = new InferenceQueue(1, Duration.ofMillis(200))) {
            waitsInTurn(queue);
        }
    }

    @Test
    void workRunsOnOneThreadAndItsErrorsReachTheCaller() {
        try (InferenceQueue queue = new InferenceQueue(1, Duration.ofSeconds(5));
                InferenceQueue.Ticket t = queue.admit()) {
            String thread = t.exclusive(() -> Thread.currentThread().getName());
            assertEquals("danet-inference", thread);
            assertEquals(thread, t.exclusive(() -> Thread.currentThread().getName()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.exclusive(() -> {
                throw new IllegalArgumentException("bad");
            }));
            assertEquals("bad", e.getMessage());
        }
    }

    @Test
    void theWorkSeesHowLongItsTicketWaited() throws Exception {
        try (InferenceQueue queue = new InferenceQueue(1, Duration.ofSeconds(30))) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread holder = holdTurn(queue, release, failure);
            try (InferenceQueue.Ticket t = queue.admit()) {
                new Thread(() -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    release.countDown();
                }).start();
                double seen = t.exclusive(t::waitedSeconds);
                assertTrue(seen > 0, "waited " + seen + " s behind the holder");
            }
            holder.join();
            assertEquals(null, failure.get());
        }
    }

    private static void waitsInTurn(InferenceQueue queue) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread holder = holdTurn(queue, release, failure);
        try (InferenceQueue.Ticket waiting = queue.admit()) {
            HttpProblem timeout = assertThrows(HttpProblem.class, () -> waiting.exclusive(() -> 1));
            assertEquals(503, timeout.status());
            assertTrue(timeout.getMessage().contains("without getting a turn"), timeout.getMessage());
        }
        release.countDown();
        holder.join();

        assertEquals(null, failure.get());
        try (InferenceQueue.Ticket t = queue.admit()) {
            assertEquals(7, t.exclusive(() -> 7));
        }
    }

    /**
     * Starts a thread that takes the queue's turn and keeps it until {@code release} opens, and
     * returns once the turn is taken. What the thread throws goes to {@code failure}.
     */
    private static Thread holdTurn(InferenceQueue queue, CountDownLatch release, AtomicReference<Throwable> failure)
            throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (InferenceQueue.Ticket t = queue.admit()) {
                t.exclusive(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        holder.start();
        running.await();
        return holder;
    }
}
