package dev.danet.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands that load a model from a weights file. */
final class ModelOptions extends ModelLoadOptions {

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "A danet checkpoint, a reference DANet .pth/.pth.tar, or a torchvision ResNet .pth.")
    Path weights;
}
