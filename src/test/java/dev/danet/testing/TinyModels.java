package dev.danet.testing;

import dev.danet.io.ModelCheckpoint;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import dev.danet.nn.ResNetDepth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Tiny randomly initialised models saved as .danet files, for tests that need a weights file. */
public final class TinyModels {

    /** The class names saved with {@link #save}: as the tiny folder datasets have. */
    public static final List<String> CLASSES = List.of("dark", "grey", "square");

    private TinyModels() {}

    /** ResNet-18 at width 4, output stride 8, the given head, three classes. */
    public static ModelConfig config(HeadType head) {
        return new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, head, false, CLASSES.size());
    }

    /** A random model with the given head written to file, with the class names in its metadata. */
    public static Path save(Path file, HeadType head) {
        try (Network network = create(head)) {
            ModelCheckpoint.save(file, network, Map.of("classes", CLASSES));
        }
        return file;
    }

    /**
     * A random model with the given head and class names (one output per name) written to file:
     * a model that answers differently from {@link #save}'s, for tests that serve two at once.
     */
    public static Path save(Path file, HeadType head, List<String> classes) {
        Engine.getInstance().setRandomSeed(SEED);
        try (Network network = Network.create(new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, head, false,
                classes.size()))) {
            ModelCheckpoint.save(file, network, Map.of("classes", classes));
        }
        return file;
    }

    /**
     * A random network with the given head, the same one on every machine and every run. PAM's
     * query projection is scaled down: at random initialisation the energies are so large that
     * every attention row is one-hot, which tells nothing apart; smaller queries give the smooth
     * rows a trained model has. Even so, how peaked the rows are varies by orders of magnitude
     * between random draws (largest weight of a row from 0.002 to 0.9999 over 40 draws), so the
     * draw is seeded: an unseeded one made the browser test's checks of the map flaky.
     */
    public static Network create(HeadType head) {
        Engine.getInstance().setRandomSeed(SEED);
        Network network = Network.create(config(head));
        Parameter query = network.parameters().get("head.sa.query_conv.weight");
        if (query != null) {
            query.getArray().muli(QUERY_SCALE);
        }
        return network;
    }

    /** The random draw (see {@link #create}): its rows on the test scene peak at 0.02-0.23. */
    static final int SEED = 2;

    /** Factor on PAM's random query weights (see {@link #create}). */
    static final float QUERY_SCALE = 0.02f;
}
