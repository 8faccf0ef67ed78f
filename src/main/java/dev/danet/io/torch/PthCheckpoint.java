package dev.danet.io.torch;

import dev.danet.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a PyTorch checkpoint file holds for loading a model.
 *
 * @param stateDict the tensors by key, in file order
 * @param meta the {@code meta} dict saved beside the state dict (mmsegmentation: class names,
 *     palette, the config as text), empty when the file has none; values as {@link PthReader} gives them
 */
public record PthCheckpoint(LinkedHashMap<String, TensorData> stateDict, Map<?, ?> meta) {}
