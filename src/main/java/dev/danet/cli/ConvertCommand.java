package dev.danet.cli;

import dev.danet.io.ModelCheckpoint;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Turns a PyTorch checkpoint into the project's own format, which loads without flags. */
@Command(name = "convert",
        mixinStandardHelpOptions = true,
        description = {
            "Convert a weights file (e.g. a reference DANet .pth) into a danet checkpoint.",
            "",
            "The danet checkpoint records the model configuration and its card (class names, palette, "
                    + "normalisation, test recipe), so that no flags are needed to load it back.",
            "",
            "Example: ./danet convert --weights DANet101.pth.tar --multi-grid \\",
            "           --out danet101.danet"
        })
final class ConvertCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The checkpoint to write.")
    Path out;

    @Override
    public Integer call() {
        InputGuard.of(List.of(model.weights)).refuse(out, "the converted checkpoint");
        try (ModelLoader.Loaded loaded = ModelLoader.open(model.weights, model.toLoaderOptions(), System.err)) {
            Network network = loaded.network();
            ModelCheckpoint.save(out, network, loaded.card(),
                    Map.of("converted_from", model.weights.getFileName().toString()), Map.of());
            System.out.println("wrote " + out + ": " + network.config().describe());
        }
        return 0;
    }
}
