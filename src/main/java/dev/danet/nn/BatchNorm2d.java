package dev.danet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation over the channels of (N, C, H, W) maps, as torch.nn.BatchNorm2d with its
 * defaults: in training the batch's statistics, with the running statistics updated by momentum
 * 0.1 (the variance unbiased); in inference the running statistics; epsilon 1e-5. The parameters
 * carry PyTorch's names (weight, bias, running_mean, running_var).
 *
 * <p>libtorch's own batch_norm does the work, as under DJL's BatchNorm; that block, though, hands
 * libtorch its momentum and epsilon as floats widened to double (1 - 0.9f = 0.10000002384,
 * 1e-5f = 9.99999975e-6), so in float64 training its running statistics drift 2.4e-7 (relative)
 * from PyTorch's every step. This one passes PyTorch's values.
 */
public final class BatchNorm2d extends TorchBlock {

    /** PyTorch's default momentum: running = (1 - m) * running + m * batch statistic. */
    public static final double MOMENTUM = 0.1;
    public static final double EPSILON = 1e-5;

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public BatchNorm2d() {
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("running_mean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("running_var").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        NDArray mean = ps.getValue(runningMean, device, training);
        NDArray variance = ps.getValue(runningVar, device, training);
        // A recomputed pass normalises with the same batch statistics but must not update the
        // running ones a second time: it updates throwaway copies.
        boolean repeat = training && ps instanceof NetworkParameterStore store && store.recomputing();
        if (repeat) {
            mean = mean.duplicate();
            variance = variance.duplicate();
        }
        NDArray out = JniUtils.batchNorm((PtNDArray) x, (PtNDArray) mean, (PtNDArray) variance,
                (PtNDArray) ps.getValue(weight, device, training),
                (PtNDArray) ps.getValue(bias, device, training), training, MOMENTUM, EPSILON);
        if (repeat) {
            mean.close();
            variance.close();
        }
        return new NDList(out);
    }

    /** {weight, bias, running mean, running variance} as the store holds them. */
    NDArray[] values(ParameterStore ps, Device device) {
        return new NDArray[] {ps.getValue(weight, device, false), ps.getValue(bias, device, false),
            ps.getValue(runningMean, device, false), ps.getValue(runningVar, device, false)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape channels = new Shape(inputShapes[0].get(1));
        for (Parameter p : new Parameter[] {weight, bias, runningMean, runningVar}) {
            p.setShape(channels);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
