package dev.danet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.DanetException;
import dev.danet.io.ModelLoader;
import dev.danet.io.Npy;
import dev.danet.io.TensorData;
import dev.danet.nn.Network;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The interop entry point: raw tensors in, raw logits out, to compare with PyTorch. */
@Command(name = "forward",
        mixinStandardHelpOptions = true,
        description = {
            "Run a model on a .npy tensor and write its logits as .npy (for comparing with PyTorch).",
            "",
            "Runs the model in inference mode on an NCHW float32 .npy input (already normalised) and writes the "
                    + "main (fused) output logits at input resolution as float32 .npy.",
            "",
            "Example: ./danet forward --weights danet.pth --multi-grid \\",
            "           --input x.npy --output y.npy"
        })
final class ForwardCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "IN.npy", description = "Input, shape (N, 3, H, W).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "OUT.npy", description = "Where to write the logits.")
    Path output;

    @Override
    public Integer call() {
        InputGuard.of(java.util.List.of(input, model.weights)).refuse(output, "the logits");
        TensorData x = Npy.read(input);
        if (x.shape().length != 4 || x.shape()[1] != 3 || x.shape()[0] < 1 || x.shape()[2] < 8 || x.shape()[3] < 8) {
            throw new DanetException(input + ": expected an (N, 3, H, W) array with H, W >= 8, got " + x.shapeString());
        }
        if (!x.isFloatingPoint()) {
            throw new DanetException(input + ": expected floating-point values, got " + x.dtype());
        }
        long start = System.nanoTime();
        try (Network network = ModelLoader.load(model.weights, model.toLoaderOptions(), System.err).setInferenceOnly(true);
                NDManager scope = network.manager().newSubManager()) {
            System.err.println("model: " + network.config().describe());
            NDArray images = scope.create(x.toFloats(), new Shape(x.shape())).toType(network.dataType(), false);
            long loaded = System.nanoTime();
            NDArray logits = network.predict(images).toType(DataType.FLOAT32, false);
            long done = System.nanoTime();
            Npy.writeFloat32(output, logits.toFloatArray(), logits.getShape().getShape());
            System.err.printf("wrote %s %s (load %.2f s, forward %.2f s)%n", output, logits.getShape(),
                    (loaded - start) / 1e9, (done - loaded) / 1e9);
        }
        return 0;
    }
}
