package dev.danet.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.Network;
import java.util.List;

/**
 * Position attention over the whole map ("plain") against row blocks of the default budget
 * ("lean"), on one network's weights: the two must give the same output. The timing side of
 * the comparison is bench's variants {@link #PLAIN} and {@link #LEAN}.
 */
public final class AttentionBlocksStudy {

    /** The whole attention map, whatever its size. */
    public static final String PLAIN = "plain";
    /** Row blocks whenever the map exceeds the default budget (256 MB). */
    public static final String LEAN = "lean";

    private AttentionBlocksStudy() {}

    /** The network's options with the whole map. */
    private static ExecutionOptions plain(ExecutionOptions options) {
        return options.withAttentionBlockBytes(ExecutionOptions.WHOLE_ATTENTION_MAP);
    }

    /** The network's options with row blocks above the default budget. */
    private static ExecutionOptions lean(ExecutionOptions options) {
        return options.withAttentionBlockBytes(ExecutionOptions.DEFAULT_ATTENTION_BLOCK_BYTES);
    }

    /** Both sides to time: {@link #PLAIN}, then {@link #LEAN}, otherwise as options say. */
    public static List<BenchSweep.Variant> variants(ExecutionOptions options) {
        return List.of(new BenchSweep.Variant(PLAIN, plain(options)), new BenchSweep.Variant(LEAN, lean(options)));
    }

    /** How far the lean output is from the plain one on one input (inference, as eval runs it). */
    public static OutputDifference run(Network network, ModelBenchmark.Settings settings) {
        float[] plain = output(network, plain(network.options()), settings);
        float[] lean = output(network, lean(network.options()), settings);
        return OutputDifference.of(lean, plain);
    }

    private static float[] output(Network network, ExecutionOptions options, ModelBenchmark.Settings settings) {
        try (Network variant = network.withOptions(options).setInferenceOnly(true);
                NDManager scope = network.manager().newSubManager()) {
            NDArray images = StudyInput.of(network, scope, settings);
            return StudyInput.predict(variant, images);
        }
    }
}
