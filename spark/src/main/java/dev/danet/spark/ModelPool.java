package dev.danet.spark;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Models lent to one task slot at a time: a borrower gets an idle model of that key, or a newly
 * loaded one when every model of the key is lent out, and has it to itself until it gives it
 * back. So a JVM whose tasks run N at a time loads at most N models of a key, each once, and no
 * model ever runs two inferences at once. Returned models wait for the next borrower until the
 * JVM ends, as an executor's other caches do.
 *
 * @param <K> what names a model (its file and how it is loaded)
 * @param <M> the model
 */
final class ModelPool<K, M> {

    /** A model lent out; closing it gives the model back (once, however often it is called). */
    final class Lease implements AutoCloseable {
        private final K key;
        private final M model;
        private final AtomicBoolean returned = new AtomicBoolean();

        private Lease(K key, M model) {
            this.key = key;
            this.model = model;
        }

        M model() {
            return model;
        }

        @Override
        public void close() {
            if (returned.compareAndSet(false, true)) {
                idle(key).push(model);
            }
        }
    }

    private final Function<K, M> loader;
    private final Map<K, Deque<M>> idle = new ConcurrentHashMap<>();
    private final Map<K, AtomicInteger> loads = new ConcurrentHashMap<>();

    ModelPool(Function<K, M> loader) {
        this.loader = loader;
    }

    /** An idle model of this key, else a new one (loaded on the caller's thread; a load that fails throws). */
    Lease borrow(K key) {
        M model = idle(key).poll();
        if (model == null) {
            model = loader.apply(key);
            loads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
        return new Lease(key, model);
    }

    /** How many models of this key were loaded in this JVM: at most the task slots that ever ran one at once. */
    int loads(K key) {
        AtomicInteger count = loads.get(key);
        return count == null ? 0 : count.get();
    }

    private Deque<M> idle(K key) {
        return idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
    }
}
