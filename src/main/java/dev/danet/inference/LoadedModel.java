package dev.danet.inference;

import dev.danet.data.ClassSet;
import dev.danet.io.ModelCard;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A network together with the classes it predicts (names and display colours) and its model
 * card (normalisation, test recipe), as the segmenting commands and the HTTP service need
 * them. Close it to free the weights.
 *
 * @param weights the file it came from
 * @param network the loaded network
 * @param classes names and colours from the model card, else a known dataset's by class count
 * @param card what the file says about the model besides its weights
 */
public record LoadedModel(Path weights, Network network, ClassSet classes, ModelCard card) implements AutoCloseable {

    public static LoadedModel load(Path weights, ModelLoader.Options options, PrintStream log) {
        ModelLoader.Loaded loaded = ModelLoader.open(weights, options, log);
        Network network = loaded.network().setInferenceOnly(true);
        try {
            ClassSet classes = loaded.card().classes(network.config().classes());
            return new LoadedModel(weights, network, classes, loaded.card());
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    @Override
    public void close() {
        network.close();
    }
}
