package dev.danet.io.torch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickled Python object of a type this reader does not model (an {@code argparse.Namespace},
 * a whole pickled {@code nn.Module}, a NumPy array, ...), kept as the pickle describes it so
 * that reading the rest of a checkpoint does not fail on it.
 */
public final class PythonObject {

    private final String type;
    private final List<Object> args;
    private Object state;
    private final Map<Object, Object> items = new LinkedHashMap<>();
    private final List<Object> listItems = new ArrayList<>();

    PythonObject(String type, List<Object> args) {
        this.type = type;
        this.args = args;
    }

    /** The qualified name of the class or function, e.g. {@code argparse.Namespace}. */
    public String type() {
        return type;
    }

    /**
     * The arguments it was constructed with, or null when the pickle refers to the class or
     * function itself instead of calling it.
     */
    public List<Object> args() {
        return args;
    }

    /** Its pickled state (usually the attribute dict), or null. */
    public Object state() {
        return state;
    }

    /** Entries set on it as on a dict (for dict subclasses), in pickle order. */
    public Map<Object, Object> items() {
        return items;
    }

    /** Elements appended to it as to a list (for list subclasses). */
    public List<Object> listItems() {
        return listItems;
    }

    void setState(Object state) {
        this.state = state;
    }

    @Override
    public String toString() {
        return args == null ? "<" + type + ">" : type + args;
    }
}
