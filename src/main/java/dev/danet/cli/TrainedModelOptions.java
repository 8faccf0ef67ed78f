package dev.danet.cli;

import dev.danet.DanetException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Model options whose --weights may be left out: the model `./danet demo` trains is used, so
 * that a new user can segment and serve right after the main job.
 */
final class TrainedModelOptions extends ModelLoadOptions {

    /** Where `./danet demo` (default --out, seed 1) writes its DANet, relative to the working folder. */
    static final Path DEMO_MODEL = Path.of("out", "demo", "runs", "danet-seed1", "model.danet");

    @Option(names = "--weights", paramLabel = "FILE",
            description = "A danet checkpoint, a reference DANet .pth/.pth.tar, or a torchvision ResNet .pth"
                    + " (default: the DANet that `./danet demo` trains, out/demo/runs/danet-seed1/model.danet).")
    Path weights;

    /** The file to load: --weights, else the demo's model, or a one-line error saying how to get one. */
    Path weightsFile() {
        if (weights != null) {
            return weights;
        }
        if (!Files.isRegularFile(DEMO_MODEL)) {
            throw new DanetException("no --weights given and no demo model at " + DEMO_MODEL
                    + ": run `./danet demo` first (it trains DANet there), or pass --weights FILE");
        }
        return DEMO_MODEL;
    }
}
