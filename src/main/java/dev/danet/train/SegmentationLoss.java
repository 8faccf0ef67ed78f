package dev.danet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.danet.data.ClassSet;
import dev.danet.nn.SegmentationOutputs;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cross-entropy with an ignore label, averaged over the labelled pixels, as
 * torch.nn.CrossEntropyLoss(ignore_index=255); DJL's softmax loss has no ignore label. The
 * training loss is a weighted sum over the model's outputs, by name (see {@link LossWeights}).
 */
public final class SegmentationLoss {

    /** The weighted total and each output's own loss, in the outputs' order. */
    public record Losses(NDArray total, Map<String, NDArray> terms) {}

    private final Map<String, Double> weights;

    /** Weights by output name ({@link LossWeights#byOutput}); an output not named gets weight 0. */
    public SegmentationLoss(Map<String, Double> weights) {
        this.weights = Map.copyOf(weights);
    }

    /** Mean cross-entropy of (B, K, H, W) logits against (B, H, W) labels, ignoring 255. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return negativeLogLikelihood(logits.logSoftmax(1), labels);
    }

    /** Mean negative log-likelihood of (B, K, H, W) log-probabilities against (B, H, W) labels, ignoring 255. */
    private static NDArray negativeLogLikelihood(NDArray logProbabilities, NDArray labels) {
        NDArray valid = labels.neq(ClassSet.IGNORE);
        NDArray safe = labels.mul(valid.toType(labels.getDataType(), false)).toType(DataType.INT64, false);
        NDArray picked = logProbabilities.gather(safe.expandDims(1), 1).squeeze(1);
        NDArray mask = valid.toType(logProbabilities.getDataType(), false);
        NDArray count = mask.sum().maximum(1f);
        return picked.mul(mask).sum().neg().div(count);
    }

    /** The weighted total of every output's cross-entropy, and each output's own term. */
    public Losses compute(SegmentationOutputs outputs, NDArray labels) {
        return compute(outputs, labels, false);
    }

    /**
     * As {@link #compute}, for a training step that needs the outputs for nothing else: each output
     * is closed as soon as its log-probabilities exist. The backward pass never reads the logits
     * themselves (log-softmax keeps its result; the upsampling, a product with two small matrices,
     * keeps its low-resolution input), and at full resolution they are among a step's largest
     * arrays: 160 MB per output for 19 classes at 1024x2048.
     */
    public Losses computeReleasingOutputs(SegmentationOutputs outputs, NDArray labels) {
        return compute(outputs, labels, true);
    }

    private Losses compute(SegmentationOutputs outputs, NDArray labels, boolean release) {
        Map<String, NDArray> terms = new LinkedHashMap<>();
        NDArray total = null;
        // An array named twice is one output: its log-probabilities are computed (and it is closed) once.
        Map<NDArray, NDArray> logProbabilitiesOf = new IdentityHashMap<>();
        for (Map.Entry<String, NDArray> output : outputs.byName().entrySet()) {
            NDArray logProbabilities = logProbabilitiesOf.computeIfAbsent(output.getValue(), logits -> {
                NDArray result = logits.logSoftmax(1);
                if (release) {
                    logits.close();
                }
                return result;
            });
            NDArray term = negativeLogLikelihood(logProbabilities, labels);
            terms.put(output.getKey(), term);
            double w = weights.getOrDefault(output.getKey(), 0.0);
            if (w != 0) {
                // The weight in the loss's own type: in float64 PyTorch's 0.4, not 0.4f (1.5e-8
                // apart); a float64 scalar would turn a float32 loss into float64.
                NDArray weighted = term.mul(term.getManager().create(w).toType(term.getDataType(), false));
                total = total == null ? weighted : total.add(weighted);
            }
        }
        return new Losses(total, terms);
    }
}
