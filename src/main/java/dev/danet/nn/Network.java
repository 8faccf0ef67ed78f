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
 *
 * <p>How it runs (attention memory budget, release of intermediates, batch-norm folding) is its
 * {@link ExecutionOptions}, fixed when it is built; {@link #withOptions} runs the same weights
 * with other options.
 */
public final class Network implements AutoCloseable {

    private final ModelConfig config;
    private final Block root;
    private final SegmentationModel model;
    private final MultiScaleModel multiScale;
    private final NDManager manager;
    private final NetworkParameterStore parameterStore;
    private final DataType dataType;
    private final ExecutionOptions options;
    /** Whether this network owns the weights (false for a {@link #withOptions} view). */
    private final boolean ownsWeights;

    private Network(ModelConfig config, Device device, DataType dataType, ExecutionOptions options) {
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
        this.options = options;
        this.parameterStore = new NetworkParameterStore(manager, options);
        this.ownsWeights = true;
    }

    /** A view of source's blocks and weights that runs with other options. */
    private Network(Network source, ExecutionOptions options) {
        this.config = source.config;
        this.manager = source.manager;
        this.multiScale = source.multiScale;
        this.model = source.model;
        this.root = source.root;
        this.dataType = source.dataType;
        this.options = options;
        this.parameterStore = new NetworkParameterStore(manager, options);
        this.parameterStore.setInferenceOnly(source.isInferenceOnly());
        this.ownsWeights = false;
    }

    /**
     * A randomly initialised network on the given device (null: the engine's default) with
     * weights of the given type (float32 normally; float64 for exact parity checks), running
     * with the given options.
     */
    public static Network create(ModelConfig config, Device device, DataType dataType, ExecutionOptions options) {
        return new Network(config, device == null ? ai.djl.engine.Engine.getInstance().defaultDevice() : device,
                dataType, options);
    }

    public static Network create(ModelConfig config, Device device, DataType dataType) {
        return create(config, device, dataType, ExecutionOptions.DEFAULTS);
    }

    public static Network create(ModelConfig config, Device device) {
        return create(config, device, DataType.FLOAT32);
    }

    public static Network create(ModelConfig config, ExecutionOptions options) {
        return create(config, null, DataType.FLOAT32, options);
    }

    public static Network create(ModelConfig config) {
        return create(config, ExecutionOptions.DEFAULTS);
    }

    /**
     * The same blocks and weights, run with other options: a second handle on this network with
     * its own parameter store (and so its own batch-norm folds), inference-only if this one is
     * now. Closing it drops only its folds; the weights stay with this network. For comparing
     * options on one set of weights (bench's studies, tests).
     */
    public Network withOptions(ExecutionOptions other) {
        return new Network(this, other);
    }

    /** How this network runs; see {@link ExecutionOptions}. */
    public ExecutionOptions options() {
        return options;
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * The base segmentation network (backbone and heads): the whole model of a single-scale
     * network, or the one that a multi-scale network runs at every scale.
     */
    public SegmentationModel baseModel() {
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
     * Declares the weights final, for a network that will only run inference (eval, segment,
     * serve, ...): where the options say {@link ExecutionOptions#foldBatchNorms}, each batch norm
     * is folded into its convolution once, on first use. Folding is as accurate as the separate
     * layers (against a float64 reference, 4.57e-4 relative error in float32 against 4.58e-4) but
     * rounds differently, so outputs no longer match PyTorch's float32 ones to 1e-6; it makes
     * DANet-ResNet-50 inference 2-7% faster (256x256 to 1024x1024) and keeps a folded copy of the
     * convolution weights (docs/performance.md). Training such a network is refused until this
     * is turned off again, which drops the folds. Change weights before turning it on, not after.
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

    /**
     * Inference: the main (fused) score map (B, classes, H, W) at input resolution. Records no
     * autograd graph, on any thread ({@link GradMode}).
     */
    public NDArray predict(NDArray images) {
        try (GradMode.Off noGraph = GradMode.off()) {
            return root.forward(parameterStore, new NDList(images), false).singletonOrThrow();
        }
    }

    /** Every output at input resolution, by name, in inference or training mode. */
    public SegmentationOutputs forwardAll(NDArray images, boolean training) {
        PairList<String, Object> params = new PairList<>();
        params.add(SegmentationModel.ALL_OUTPUTS, Boolean.TRUE);
        return SegmentationOutputs.of(root.forward(parameterStore, new NDList(images), training, params), config);
    }

    /**
     * A training forward pass (every output, as {@link #forwardAll} in training mode) whose backward
     * follows the options' {@link TrainingMemory}; run its {@link TrainingPass#backward} inside
     * the step's gradient collector.
     */
    public TrainingPass trainingPass(NDArray images) {
        if (!defersBackward(images.getShape())) {
            return new TrainingPass(forwardAll(images, true), null);
        }
        DeferredBackward deferred = new DeferredBackward();
        try {
            PairList<String, Object> params = new PairList<>();
            params.add(SegmentationModel.ALL_OUTPUTS, Boolean.TRUE);
            NetworkParameterStore store = new NetworkParameterStore(manager, options, deferred);
            NDList outputs = root.forward(store, new NDList(images), true, params);
            return new TrainingPass(SegmentationOutputs.of(outputs, config), deferred);
        } catch (RuntimeException e) {
            deferred.close();
            throw e;
        }
    }

    /**
     * Whether a training pass over images of this shape leaves backward work for later: with a
     * recomputed backbone always; with lean attention when position attention will compute its
     * map in blocks (a map within the budget is cheaper kept whole, and the step stays the plain
     * one, bit for bit). The feature size is the input's at the output stride, at the largest scale.
     */
    private boolean defersBackward(Shape images) {
        TrainingMemory memory = options.trainingMemory();
        if (memory.recomputeBackbone()) {
            return true;
        }
        if (!memory.leanAttention() || !config.head().usesPositionAttention()) {
            return false;
        }
        double largest = config.scales() == null ? 1
                : config.scales().scales().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        long height = (long) Math.ceil(images.get(2) * largest / config.outputStride());
        long width = (long) Math.ceil(images.get(3) * largest / config.outputStride());
        long positions = height * width;
        return PositionAttention.rowsPerBlock(images.get(0), positions, dataType, options.attentionBlockBytes())
                < positions;
    }

    /**
     * How much each scale counts at each pixel of the fused map, (B, S, H, W) at input
     * resolution, summing to 1 over the scales (see {@link MultiScaleModel#scaleWeights}); no
     * autograd graph is recorded.
     *
     * @throws IllegalStateException for a single-scale network
     */
    public NDArray scaleWeights(NDArray images) {
        if (multiScale == null) {
            throw new IllegalStateException("a single-scale network has no scale weights");
        }
        try (GradMode.Off noGraph = GradMode.off()) {
            NDArray weights = multiScale.scaleWeights(parameterStore, images);
            return BilinearResize.alignCorners(weights, images.getShape().get(2), images.getShape().get(3));
        }
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

    /** Frees the weights; a {@link #withOptions} view frees only its batch-norm folds. */
    @Override
    public void close() {
        if (ownsWeights) {
            manager.close();
        } else {
            parameterStore.setInferenceOnly(false);
        }
    }
}
