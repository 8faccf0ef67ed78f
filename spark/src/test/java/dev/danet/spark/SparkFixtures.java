package dev.danet.spark;

import ai.djl.engine.Engine;
import dev.danet.data.ClassSet;
import dev.danet.io.ModelCheckpoint;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.synth.SyntheticScenes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the Spark tests run on: a tiny random DANet for the 19 street classes and a few generated scenes. */
final class SparkFixtures {

    private SparkFixtures() {}

    /** A seeded random DANet (ResNet-18 at width 4) with the synthetic scenes' 19 classes, saved to file. */
    static Path model(Path file) {
        Engine.getInstance().setRandomSeed(7);
        List<String> names = ClassSet.cityscapes().names();
        ModelConfig config = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, false,
                names.size());
        try (Network network = Network.create(config)) {
            ModelCheckpoint.save(file, network, Map.of("classes", names));
        }
        return file;
    }

    /** The built-in street scenes, val split only: images and labels in the Cityscapes layout. */
    static Path scenes(Path root, int images) {
        SyntheticScenes.generate(root, new SyntheticScenes.Options(0, images, 48, 80, 3));
        return root;
    }

    /** Every file below a folder, relative, sorted. */
    static List<String> files(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
