package dev.danet.eval;

import dev.danet.data.ClassSet;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A network together with the classes it predicts (names and display colours), as the
 * segmenting commands and the HTTP service need them. Close it to free the weights.
 *
 * @param weights the file it came from
 * @param network the loaded network
 * @param classes names from the checkpoint's metadata, else a known dataset's by class count
 */
public record LoadedModel(Path weights, Network network, ClassSet classes) implements AutoCloseable {

    public static LoadedModel load(Path weights, ModelLoader.Options options, PrintStream log) {
        Network network = ModelLoader.load(weights, options, log).setInferenceOnly(true);
        try {
            ClassSet classes = ClassSet.forModel(ModelCheckpoint.classNames(weights), network.config().classes());
            return new LoadedModel(weights, network, classes);
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
