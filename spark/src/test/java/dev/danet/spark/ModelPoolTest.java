package dev.danet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A model is lent to one borrower at a time and loaded once per borrower that ran at once. */
class ModelPoolTest {

    @Test
    void twoBorrowersAtOnceGetTwoModelsAndAReturnedModelIsLentAgainWithoutALoad() {
        AtomicInteger made = new AtomicInteger();
        ModelPool<String, String> pool = new ModelPool<>(key -> key + "#" + made.incrementAndGet());
        ModelPool<String, String>.Lease first = pool.borrow("m");
        ModelPool<String, String>.Lease second = pool.borrow("m");
        assertNotEquals(first.model(), second.model());
        assertEquals(2, pool.loads("m"));

        first.close();
        first.close(); // given back once, however often closed
        ModelPool<String, String>.Lease again = pool.borrow("m");
        assertEquals(first.model(), again.model());
        assertEquals(2, pool.loads("m"));
        pool.borrow("m");
        assertEquals(3, pool.loads("m"), "the second lease is still out, so a third borrower needs a third model");
        assertEquals(0, pool.loads("other"));
    }

    @Test
    void concurrentBorrowersNeverShareAModelAndLoadNoMoreThanRanAtOnce() throws Exception {
        int slots = 4;
        ModelPool<String, Object> pool = new ModelPool<>(key -> new Object());
        Set<Object> running = ConcurrentHashMap.newKeySet();
        AtomicInteger shared = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(slots);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < slots; t++) {
                done.add(threads.submit(() -> {
                    start.await();
                    for (int task = 0; task < 500; task++) {
                        try (ModelPool<String, Object>.Lease lease = pool.borrow("m")) {
                            if (!running.add(lease.model())) {
                                shared.incrementAndGet(); // another borrower is running this model now
                            }
                            Thread.onSpinWait();
                            running.remove(lease.model());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, shared.get(), "two borrowers ran one model at once");
        assertTrue(pool.loads("m") >= 1 && pool.loads("m") <= slots, "loads: " + pool.loads("m"));
    }
}
