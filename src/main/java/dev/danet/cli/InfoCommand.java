package dev.danet.cli;

import dev.danet.data.ClassSet;
import dev.danet.io.ModelCard;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Says what a weights file holds and whether it loads. */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        description = "Load a weights file and describe the model it holds: architecture, parameter count, classes,"
                + " input normalisation and test recipe.")
final class InfoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        try (ModelLoader.Loaded loaded = ModelLoader.open(model.weights, model.toLoaderOptions(), System.err)) {
            Network network = loaded.network();
            ModelCard card = loaded.card();
            ClassSet classes = card.classes(network.config().classes());
            System.out.println(model.weights);
            System.out.println("  model:      " + network.config().describe());
            System.out.printf("  parameters: %,d (%.2f M)%n", network.parameterCount(), network.parameterCount() / 1e6);
            System.out.println("  tensors:    " + network.parameters().size());
            if (!card.source().isEmpty()) {
                System.out.println("  source:     " + card.source());
            }
            System.out.println("  classes:    " + classes.size() + " (" + classes.name() + "): "
                    + String.join(", ", classes.names().subList(0, Math.min(8, classes.size())))
                    + (classes.size() > 8 ? ", ..." : ""));
            System.out.println("  input:      RGB/255 normalised with " + card.normalization());
            System.out.println("  test:       " + (card.testRecipe() == null ? "no recipe recorded (commands use their defaults)"
                    : card.testRecipe().describe())
                    + (card.reduceZeroLabel() ? "; labels with reduce_zero_label (0 = ignore)" : ""));
        }
        return 0;
    }
}
