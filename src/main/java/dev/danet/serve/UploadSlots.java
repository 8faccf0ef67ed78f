package dev.danet.serve;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the request bodies the server holds at once, arriving or waiting or being processed:
 * a request takes a slot before its body is read and gives it back when it is answered. The
 * model's queue is separate and taken only once the body is in, so a body still arriving holds
 * no place there; a slow sender holds a slot until the body timeout at most.
 */
final class UploadSlots {

    private final int capacity;
    private final AtomicInteger taken = new AtomicInteger();

    UploadSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("need at least one upload slot, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** A slot; close it when the request is answered. */
    final class Slot implements AutoCloseable {

        private boolean open = true;

        @Override
        public void close() {
            if (open) {
                open = false;
                taken.decrementAndGet();
            }
        }
    }

    /** Takes a slot, or throws a 503 problem when all are taken. */
    Slot take() {
        if (taken.incrementAndGet() > capacity) {
            taken.decrementAndGet();
            throw HttpProblem.busy("server busy: " + capacity + " uploads are already arriving or being processed"
                    + " (the limit); try again shortly");
        }
        return new Slot();
    }

    int capacity() {
        return capacity;
    }

    /** Slots taken now. */
    int taken() {
        return taken.get();
    }
}
