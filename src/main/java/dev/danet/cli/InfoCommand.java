package dev.danet.cli;

import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Says what a weights file holds and whether it loads. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        description = "Load a weights file and describe the model it holds (architecture, parameter count).")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        try (Network network = ModelLoader.load(model.weights, model.toLoaderOptions(), System.err)) {
            System.out.println(model.weights);
            System.out.println("  model:      " + network.config().describe());
            System.out.printf("  parameters: %,d (%.2f M)%n", network.parameterCount(), network.parameterCount() / 1e6);
            System.out.println("  tensors:    " + network.parameters().size());
        }
        return 0;
    }
}
