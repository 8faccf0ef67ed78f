package dev.danet.io.layout;

import dev.danet.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A family of PyTorch checkpoints: how to recognise its keys and how to rename them to the
 * project's names (the reference DANet layout: pretrained.*, head.*, auxlayer.*). A key no rule
 * covers keeps its name, so strict loading reports it as unexpected, under the name the file uses.
 */
public interface CheckpointLayout {

    /** Short stable name, e.g. "mmseg". */
    String id();

    /** What the layout is and what its keys look like, for messages. */
    String description();

    /** Whether these keys (a DataParallel "module." prefix already stripped) are of this layout. */
    boolean recognises(Set<String> keys);

    /** Whether files of this layout hold a backbone only (the head then starts random). */
    boolean backboneOnly();

    /** The final upsampling this layout's models use when nothing in the file says otherwise. */
    boolean alignCornersByDefault();

    /** The project's name for a key of this layout (the whole key set is given for context). */
    String rename(String key, Set<String> keys);

    /** The state dict under the project's names; 0-dim scalars become 1-element tensors. */
    default Map<String, TensorData> toProjectNames(Map<String, TensorData> stateDict) {
        Set<String> keys = stateDict.keySet();
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> e : stateDict.entrySet()) {
            String name = rename(e.getKey(), keys);
            TensorData t = e.getValue();
            long[] shape = t.shape().length == 0 ? new long[] {1} : t.shape();
            out.put(name, new TensorData(name, t.dtype(), shape, t.data()));
        }
        return out;
    }
}
