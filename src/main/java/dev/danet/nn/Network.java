package dev.danet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * A segmentation model with its parameters allocated: the block, the manager that owns the
 * weights, and the configuration it was built from. Close it to free the weights.
 *
 * <p>When the configuration has scales, the block is the Attention-to-Scale wrapper
 * ({@link MultiScaleModel}) around the base network; {@link #predict} then returns the fused
 * score map and {@link #forwardAll} also each scale's map (see {@link SegmentationOutputs}).
 * Callers that only predict need not know the difference.
 */
public final class Network implements AutoCloseable {

    private final ModelConfig config;
    private final Block root;
    private final SegmentationModel model;
    private final MultiScaleModel multiScale;
    private final NDManager manager;
    private final NetworkParameterStore parameterStore;
    private final DataType dataType;

    private Network(ModelConfig config, Device device, DataType dataType) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        this.multiScale = config.multiScale() ? new MultiScaleModel(config) : null;
        this.model = multiScale != null ? multiScale.base() : new SegmentationModel(config);
        this.root = multiScale != null ? multiScale : model;
        // torchvision's init: Kaiming normal, fan-out, ReLU gain.
        root.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
        root.initialize(manager, dataType, new Shape(1, 3, 64, 64));
        if (multiScale != null) {
            multiScale.startUniform();
        }
        this.dataType = dataType;
        this.parameterStore = new NetworkParameterStore(manager);
    }

    /**
     * A randomly initialised network on the given device (null: the engine's default) with
     * weights of the given type (float32 normally; float64 for exact parity checks).
     */
    public static Network create(ModelConfig config, Device device, DataType dataType) {
        return new Network(config, device == null ? ai.djl.engine.Engine.getInstance().defaultDevice() : device,
                dataType);
    }

    public static Network create(ModelConfig config, Device device) {
        return create(config, device, DataType.FLOAT32);
    }

    public static Network create(ModelConfig config) {
        return create(config, null);
    }

    public ModelConfig config() {
        return config;
    }

    /** The (base) segmentation network: the whole model, or the one shared by every scale. */
    public SegmentationModel model() {
        return model;
    }

    /** The Attention-to-Scale wrapper, or null for a single-scale network. */
    public MultiScaleModel multiScale() {
        return multiScale;
    }

    /** The block that {@link #predict} and {@link #forwardAll} run: the wrapper or the model. */
    public Block block() {
        return root;
    }

    public DataType dataType() {
        return dataType;
    }

    public NDManager manager() {
        return manager;
    }

    public ParameterStore parameterStore() {
        return parameterStore;
    }

    /**
     * Whether inference-only networks fold each batch norm into its convolution (process-wide;
     * off by default). Folding is as accurate as the separate layers (against a float64
     * reference, 4.57e-4 relative error in float32 against 4.58e-4) but rounds differently, so
     * outputs no longer match PyTorch's float32 ones to 1e-6. It makes DANet-ResNet-50
     * inference 2-7% faster (256x256 to 1024x1024) and keeps a folded copy of the convolution
     * weights (docs/performance.md).
     */
    public static void setBatchNormFolding(boolean on) {
        NetworkParameterStore.foldingEnabled = on;
    }

    public static boolean batchNormFolding() {
        return NetworkParameterStore.foldingEnabled;
    }

    /**
     * Declares the weights final, for a network that will only run inference (eval, segment,
     * serve, ...): with {@link #setBatchNormFolding} on, each batch norm is folded into its
     * convolution once, on first use. Training such a network is refused until this is turned
     * off again, which drops the folds. Change weights before turning it on, not after.
     */
    public Network setInferenceOnly(boolean on) {
        parameterStore.setInferenceOnly(on);
        return this;
    }

    public boolean isInferenceOnly() {
        return parameterStore.inferenceOnly();
    }

    /** Parameters keyed by PyTorch state_dict name. */
    public Map<String, Parameter> parameters() {
        return ParameterNames.of(root);
    }

    /** Inference: the main (fused) score map (B, classes, H, W) at input resolution. */
    public NDArray predict(NDArray images) {
        return root.forward(parameterStore, new NDList(images), false).singletonOrThrow();
    }

    /** Every output at input resolution, by name, in inference or training mode. */
    public SegmentationOutputs forwardAll(NDArray images, boolean training) {
        PairList<String, Object> params = new PairList<>();
        params.add(SegmentationModel.ALL_OUTPUTS, Boolean.TRUE);
        return SegmentationOutputs.of(root.forward(parameterStore, new NDList(images), training, params), config);
    }

    /**
     * How much each scale counts at each pixel of the fused map, (B, S, H, W) at input
     * resolution, summing to 1 over the scales (see {@link MultiScaleModel#scaleWeights}).
     *
     * @throws IllegalStateException for a single-scale network
     */
    public NDArray scaleWeights(NDArray images) {
        if (multiScale == null) {
            throw new IllegalStateException("a single-scale network has no scale weights");
        }
        NDArray weights = multiScale.scaleWeights(parameterStore, images);
        return BilinearResize.alignCorners(weights, images.getShape().get(2), images.getShape().get(3));
    }

    public long parameterCount() {
        long n = 0;
        for (Map.Entry<String, Parameter> e : parameters().entrySet()) {
            if (e.getValue().requiresGradient()) {
                n += e.getValue().getArray().size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        manager.close();
    }
}
