package dev.danet.io.torch;

import dev.danet.io.TensorData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;

/**
 * Walks what the unpickler produced: first to find the tensors (grouped by storage, so that
 * each storage is read once), then to build the final Java structure with {@link TensorData}
 * in place of each {@link TensorRef}. Shared and cyclic references are kept.
 */
final class ObjectGraph {

    /**
     * The tensors of a pickle.
     *
     * @param byStorage tensors per storage, storages in first-use order
     * @param names each tensor's path from the root: dict keys and list indices joined by '/'
     */
    record Tensors(Map<StorageRef, List<TensorRef>> byStorage, Map<TensorRef, String> names) {
    }

    private ObjectGraph() {
    }

    static Tensors collect(Object root) {
        Tensors found = new Tensors(new LinkedHashMap<>(), new IdentityHashMap<>());
        collect(root, "", found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void collect(Object o, String path, Tensors found, Set<Object> seen) {
        if (o == null || isLeaf(o) || !seen.add(o)) {
            return;
        }
        if (o instanceof TensorRef t) {
            found.names().put(t, path);
            found.byStorage().computeIfAbsent(t.view.storage(), s -> new ArrayList<>()).add(t);
        } else if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> collect(v, join(path, k), found, seen));
        } else if (o instanceof Object[] a) {
            for (int i = 0; i < a.length; i++) {
                collect(a[i], join(path, i), found, seen);
            }
        } else if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                collect(e, join(path, i++), found, seen);
            }
        } else if (o instanceof PythonObject p) {
            collect(p.args(), path, found, seen);
            collect(p.state(), path, found, seen);
            collect(p.items(), path, found, seen);
            collect(p.listItems(), path, found, seen);
        }
    }

    /** The final structure: dicts as LinkedHashMap, tuples and lists as List, tensors filled. */
    static Object resolve(Object root, Map<TensorRef, ByteBuffer> data,
            Map<TensorRef, String> names) {
        return new Resolver(data, names).convert(root);
    }

    private static final class Resolver {
        private final Map<TensorRef, ByteBuffer> data;
        private final Map<TensorRef, String> names;
        private final Map<Object, Object> done = new IdentityHashMap<>();

        Resolver(Map<TensorRef, ByteBuffer> data, Map<TensorRef, String> names) {
            this.data = data;
            this.names = names;
        }

        Object convert(Object o) {
            if (o == null || isLeaf(o)) {
                return o;
            }
            Object converted = done.get(o);
            if (converted != null) {
                return converted;
            }
            if (o instanceof TensorRef t) {
                TensorData tensor = new TensorData(names.get(t), t.dtype(), t.shape.clone(),
                        data.get(t));
                done.put(o, tensor);
                return tensor;
            }
            if (o instanceof Map<?, ?> m) {
                LinkedHashMap<Object, Object> out = new LinkedHashMap<>();
                done.put(o, out);
                m.forEach((k, v) -> out.put(convert(k), convert(v)));
                return out;
            }
            if (o instanceof Object[] a) {
                List<Object> out = new ArrayList<>(a.length);
                done.put(o, out);
                for (Object e : a) {
                    out.add(convert(e));
                }
                return out;
            }
            if (o instanceof List<?> l) {
                List<Object> out = new ArrayList<>(l.size());
                done.put(o, out);
                for (Object e : l) {
                    out.add(convert(e));
                }
                return out;
            }
            if (o instanceof Set<?> s) {
                Set<Object> out = new LinkedHashSet<>();
                done.put(o, out);
                for (Object e : s) {
                    out.add(convert(e));
                }
                return out;
            }
            if (o instanceof PythonObject p) {
                done.put(o, p);
                if (p.args() != null) {
                    p.args().replaceAll(this::convert);
                }
                p.setState(convert(p.state()));
                Map<Object, Object> items = new LinkedHashMap<>();
                p.items().forEach((k, v) -> items.put(convert(k), convert(v)));
                p.items().clear();
                p.items().putAll(items);
                p.listItems().replaceAll(this::convert);
                return p;
            }
            if (o instanceof StorageView v) { // a storage pickled on its own, not as a tensor
                PythonObject ref = new PythonObject("torch.storage", new ArrayList<>(List.of(
                        v.storage().key(), v.storage().dtype(), v.size())));
                done.put(o, ref);
                return ref;
            }
            if (o instanceof IObjectConstructor c) { // a class or function itself
                String name = c instanceof PickleConstructors.Named n ? n.qualifiedName()
                        : c.getClass().getName();
                PythonObject ref = new PythonObject(name, null);
                done.put(o, ref);
                return ref;
            }
            return o;
        }
    }

    private static boolean isLeaf(Object o) {
        return o instanceof String || o instanceof Number || o instanceof Boolean
                || o instanceof byte[] || o instanceof Character;
    }

    private static String join(String path, Object key) {
        return path.isEmpty() ? String.valueOf(key) : path + "/" + key;
    }
}
