package dev.danet.spark;

import dev.danet.cli.ModelLoadOptions;
import picocli.CommandLine.Option;

/** The model flags of `./danet segment` / `./danet eval`, with a --weights that every executor can find. */
public final class SparkModelOptions extends ModelLoadOptions {

    private static final long serialVersionUID = 1L;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "A danet checkpoint, a reference DANet .pth/.pth.tar, or a torchvision ResNet .pth: a path"
                    + " every executor can read, or a file shipped with spark-submit --files.")
    String weights;
}
