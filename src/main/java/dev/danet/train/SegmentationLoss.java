package dev.danet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.danet.data.ClassSet;

/**
 * Cross-entropy with an ignore label, averaged over the labelled pixels, as
 * torch.nn.CrossEntropyLoss(ignore_index=255); DJL's softmax loss has no ignore label. The
 * training loss is a weighted sum over the model's outputs (DANet: fused, PAM, CAM; then aux).
 */
public final class SegmentationLoss {

    private final double[] weights;

    /** Weights per output, in the model's output order; outputs beyond the list get weight 0. */
    public SegmentationLoss(double... weights) {
        this.weights = weights.clone();
    }

    /** Mean cross-entropy of (B, K, H, W) logits against (B, H, W) labels, ignoring 255. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray valid = labels.neq(ClassSet.IGNORE);
        NDArray safe = labels.mul(valid.toType(labels.getDataType(), false)).toType(DataType.INT64, false);
        NDArray logProbabilities = logits.logSoftmax(1);
        NDArray picked = logProbabilities.gather(safe.expandDims(1), 1).squeeze(1);
        NDArray mask = valid.toType(logits.getDataType(), false);
        NDArray count = mask.sum().maximum(1f);
        return picked.mul(mask).sum().neg().div(count);
    }

    /** The weighted total and each output's own loss (for logging). */
    public NDList compute(NDList outputs, NDArray labels) {
        NDList terms = new NDList();
        NDArray total = null;
        for (int i = 0; i < outputs.size(); i++) {
            NDArray term = crossEntropy(outputs.get(i), labels);
            terms.add(term);
            double w = i < weights.length ? weights[i] : 0;
            if (w != 0) {
                // The weight in the loss's own type: in float64 PyTorch's 0.4, not 0.4f (1.5e-8
                // apart); a float64 scalar would turn a float32 loss into float64.
                NDArray weighted = term.mul(term.getManager().create(w).toType(term.getDataType(), false));
                total = total == null ? weighted : total.add(weighted);
            }
        }
        NDList result = new NDList(total);
        result.addAll(terms);
        return result;
    }
}
