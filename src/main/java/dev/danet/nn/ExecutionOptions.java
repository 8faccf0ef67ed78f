package dev.danet.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

/**
 * How a network runs, as opposed to what it computes: choices that trade memory, speed or
 * bit-equality with PyTorch, fixed when the network is built ({@link Network#create}) and
 * read by its blocks through its parameter store at forward time, so that two networks in one
 * process can run differently. {@link Network#withOptions} runs the same weights with other
 * options. The CLI maps its global flags to these; nothing in the library reads flags or
 * system properties.
 *
 * @param attentionBlockBytes position attention's budget for its (B, N, N) map: maps up to this
 *     many bytes are computed whole, larger ones in blocks of query rows of at most this size
 *     ({@link #WHOLE_ATTENTION_MAP}: always whole); in inference blocks are in any case at most
 *     512 query rows, which is faster (see {@link PositionAttention#INFERENCE_ROWS_PER_BLOCK})
 * @param releaseIntermediates free each intermediate as soon as its last consumer has run (see
 *     TorchBlock); off only to measure what that saves, or to compare with the computation that
 *     keeps them all (the numbers are the same)
 * @param foldBatchNorms in a network set to inference only, fold each batch norm into its
 *     convolution: 2-7% faster, as accurate, but no longer equal to PyTorch's float32 outputs
 *     to 1e-6 (see {@link Network#setInferenceOnly})
 * @param dropoutMasks where {@link Dropout2d} takes its keep masks from in training; null: the
 *     engine's random numbers (a parity test replays the masks PyTorch drew)
 * @param trainingMemory what a training step keeps for its backward pass (see {@link TrainingMemory})
 * @param convolutionAlgorithm how 3x3 convolutions run in inference (see {@link ConvolutionAlgorithm})
 */
public record ExecutionOptions(long attentionBlockBytes, boolean releaseIntermediates, boolean foldBatchNorms,
        Dropout2d.MaskSource dropoutMasks, TrainingMemory trainingMemory, ConvolutionAlgorithm convolutionAlgorithm) {

    /** Position attention's default budget: 256 MB. */
    public static final long DEFAULT_ATTENTION_BLOCK_BYTES = 256L << 20;
    /** A budget no map exceeds: position attention always computes the whole map. */
    public static final long WHOLE_ATTENTION_MAP = Long.MAX_VALUE;
    /**
     * The 256 MB attention budget, intermediates released, batch norms apart, random dropout,
     * lean attention where the map passes the budget, Winograd for the wide 3x3 convolutions in
     * inference where the machine has NNPACK.
     */
    public static final ExecutionOptions DEFAULTS = new ExecutionOptions(
            DEFAULT_ATTENTION_BLOCK_BYTES, true, false, null, TrainingMemory.LEAN_ATTENTION, ConvolutionAlgorithm.WINOGRAD);

    public ExecutionOptions {
        if (attentionBlockBytes <= 0) {
            throw new IllegalArgumentException("the attention budget must be a positive byte count: "
                    + attentionBlockBytes);
        }
        java.util.Objects.requireNonNull(trainingMemory, "trainingMemory");
        java.util.Objects.requireNonNull(convolutionAlgorithm, "convolutionAlgorithm");
    }

    /**
     * A parameter store that runs blocks with these options, for a block run outside a
     * {@link Network} (a benchmark of one module); a network makes its own.
     */
    public ParameterStore newParameterStore(NDManager manager) {
        return new NetworkParameterStore(manager, this);
    }

    public ExecutionOptions withAttentionBlockBytes(long bytes) {
        return new ExecutionOptions(bytes, releaseIntermediates, foldBatchNorms, dropoutMasks, trainingMemory,
                convolutionAlgorithm);
    }

    public ExecutionOptions withReleaseIntermediates(boolean release) {
        return new ExecutionOptions(attentionBlockBytes, release, foldBatchNorms, dropoutMasks, trainingMemory,
                convolutionAlgorithm);
    }

    public ExecutionOptions withFoldBatchNorms(boolean fold) {
        return new ExecutionOptions(attentionBlockBytes, releaseIntermediates, fold, dropoutMasks, trainingMemory,
                convolutionAlgorithm);
    }

    public ExecutionOptions withDropoutMasks(Dropout2d.MaskSource masks) {
        return new ExecutionOptions(attentionBlockBytes, releaseIntermediates, foldBatchNorms, masks, trainingMemory,
                convolutionAlgorithm);
    }

    public ExecutionOptions withTrainingMemory(TrainingMemory memory) {
        return new ExecutionOptions(attentionBlockBytes, releaseIntermediates, foldBatchNorms, dropoutMasks, memory,
                convolutionAlgorithm);
    }

    public ExecutionOptions withConvolutionAlgorithm(ConvolutionAlgorithm algorithm) {
        return new ExecutionOptions(attentionBlockBytes, releaseIntermediates, foldBatchNorms, dropoutMasks,
                trainingMemory, algorithm);
    }
}
