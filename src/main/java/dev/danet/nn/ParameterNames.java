package dev.danet.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names every parameter of a block tree as PyTorch's state_dict would
 * ("pretrained.layer1.0.bn1.running_mean"), which is what checkpoints are keyed by.
 */
public final class ParameterNames {

    private ParameterNames() {}

    /** Parameters in registration order, keyed by their PyTorch state_dict name. */
    public static Map<String, Parameter> of(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            index++;
            // DJL prefixes child names with their 1-based position, "%02d".
            String name = child.getKey().substring(String.format(Locale.ROOT, "%02d", index).length());
            // A child registered without a name is transparent: the multi-scale wrapper's shared
            // base network keeps the reference names (pretrained.*, head.*).
            collect(child.getValue(), name.isEmpty() ? prefix : prefix + name + ".", out);
        }
    }
}
