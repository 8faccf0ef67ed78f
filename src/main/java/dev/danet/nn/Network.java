package dev.danet.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * A segmentation model with its parameters allocated: the block, the manager that owns the
 * weights, and the configuration it was built from. Close it to free the weights.
 */
public final class Network implements AutoCloseable {

    private final ModelConfig config;
    private final SegmentationModel model;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final DataType dataType;

    private Network(ModelConfig config, Device device, DataType dataType) {
        this.config = config;
        this.manager = NDManager.newBaseManager(device);
        this.model = new SegmentationModel(config);
        // torchvision's init: Kaiming normal, fan-out, ReLU gain.
        model.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.OUT, 2), Parameter.Type.WEIGHT);
        model.initialize(manager, dataType, new Shape(1, 3, 64, 64));
        this.dataType = dataType;
        this.parameterStore = new ParameterStore(manager, false);
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

    public SegmentationModel model() {
        return model;
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

    /** Parameters keyed by PyTorch state_dict name. */
    public Map<String, Parameter> parameters() {
        return ParameterNames.of(model);
    }

    /** Inference: the main score map (B, classes, H, W) at input resolution. */
    public NDArray predict(NDArray images) {
        return model.forward(parameterStore, new NDList(images), false).singletonOrThrow();
    }

    /** Every output (head outputs, then aux), in inference or training mode. */
    public NDList forwardAll(NDArray images, boolean training) {
        PairList<String, Object> params = new PairList<>();
        params.add(SegmentationModel.ALL_OUTPUTS, Boolean.TRUE);
        return model.forward(parameterStore, new NDList(images), training, params);
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
