package dev.danet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.nn.HeadInit;
import dev.danet.nn.HeadType;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.ResNetDepth;
import dev.danet.nn.ScaleConfig;
import dev.danet.nn.ScaleFusion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipes as data: what the shipped ones hold, how a file overrides the reference, and the saved form. */
class RecipeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyRecipeInTheFolderShipsByNameAndDescribesItself() throws Exception {
        List<String> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(Path.of("recipes"))) {
            listing.forEach(f -> files.add(f.getFileName().toString().replace(".json", "")));
        }
        assertEquals(Recipe.NAMES.stream().sorted().toList(), files.stream().sorted().toList());
        for (String name : Recipe.NAMES) {
            Recipe recipe = Recipe.load(name);
            assertTrue(recipe.description().length() > 40, name);
            assertTrue(recipe.saysHowLong(), name);
        }
    }

    /** The configuration DemoCommand built from literals before the recipe existed, seed and data aside. */
    @Test
    void theDemoRecipeIsTheDemosConfiguration() {
        ModelConfig model = new ModelConfig(ResNetDepth.RESNET18, 16, false, 8, false, HeadType.FCN, false, 19);
        TrainConfig literal = TrainConfig.builder().model(model).dataset("cityscapes").dataRoot("data/synthetic")
                .crop(128, 256).baseSize(128).scaleRange(0.75, 1.25).batchSize(8).iterations(800).baseLr(0.01)
                .headLrMultiplier(10).momentum(0.9).weightDecay(1e-4).power(0.9).lossWeights(new double[] {1, 1, 1})
                .auxWeight(0.4).seed(3).workers(2).checkpointEvery(200).validateEvery(200).maxGradNorm(5).build();
        TrainConfig.Builder demo = Recipe.load("demo").builder(19).dataset("cityscapes").dataRoot("data/synthetic")
                .seed(3);
        demo.model(demo.model().withHead(HeadType.FCN));
        assertEquals(literal.toString(), demo.build().toString());
    }

    @Test
    void theScaleAblationRecipeIsTheAttentionVariantOfTheStudy() {
        TrainConfig config = Recipe.load("scale-ablation").builder(19).dataRoot("d").build();
        assertEquals(new ScaleConfig(List.of(1.0, 0.75, 0.5), ScaleFusion.ATTENTION), config.model().scales());
        assertEquals(HeadType.FCN, config.model().head());
        assertEquals(300, config.iterations());
        assertEquals(128, config.baseSize(), "the crop's short side");
        assertEquals(1.0, config.lossWeights().scales()[0]);
    }

    @Test
    void theCityscapesRecipeTrainsForEpochsOnTheReferenceSettings() {
        Recipe recipe = Recipe.load("cityscapes");
        assertEquals(240, recipe.epochs());
        TrainConfig config = recipe.builder(19).dataRoot("d").epochs(recipe.epochs(), 2975).build();
        assertEquals(240 * (2975 / 8), config.iterations());
        assertEquals(ResNetDepth.RESNET101, config.model().backbone());
        assertTrue(config.model().multiGrid());
        assertEquals(1024, config.baseSize());
        assertEquals(TrainConfig.referenceLr(HeadType.DANET), config.baseLr());
    }

    @Test
    void aRecipeFileOverridesTheReferenceAndASavedConfigurationIsOne() throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"model\": {\"head\": \"pam\", \"width\": 8}, \"batchSize\": 2, \"iterations\": 5}");
        TrainConfig config = Recipe.load(file.toString()).builder(3).dataRoot("d").build();
        assertEquals(HeadType.PAM, config.model().head());
        assertEquals(8, config.model().width());
        assertEquals(ResNetDepth.RESNET50, config.model().backbone(), "the reference's, not given");
        assertEquals(3, config.model().classes(), "from the dataset");
        assertEquals(2, config.batchSize());
        assertEquals(0.01, config.baseLr(), "the reference's for PAM");
        assertEquals(HeadInit.PYTORCH_DEFAULT, config.headInit());

        Path saved = dir.resolve("saved.json");
        Files.writeString(saved, config.toString());
        assertEquals(config.toString(), Recipe.load(saved.toString()).builder(3).build().toString());
    }

    @Test
    void aBadRecipeIsAOneLineErrorNamingTheFile() throws Exception {
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"batchsize\": 2}");
        DanetException e = assertThrows(DanetException.class, () -> Recipe.load(typo.toString()));
        assertTrue(e.getMessage().startsWith(typo.toString()) && e.getMessage().contains("batchsize"), e.getMessage());
        DanetException missing = assertThrows(DanetException.class, () -> Recipe.load("nonesuch"));
        assertTrue(missing.getMessage().contains("demo, cityscapes, scale-ablation"), missing.getMessage());
    }

    @Test
    void theSavedFormKeepsItsFieldsAndOrderAndOldFilesReadAsTrained() throws Exception {
        ModelConfig model = new ModelConfig(ResNetDepth.RESNET18, 4, false, 8, false, HeadType.DANET, true, 3);
        TrainConfig config = TrainConfig.builder().model(model).dataRoot("d").iterations(2).build();
        List<String> fields = new ArrayList<>();
        JSON.valueToTree(config).fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("model", "dataset", "dataRoot", "cropHeight", "cropWidth", "baseSize", "minScale",
                "maxScale", "batchSize", "iterations", "baseLr", "headLrMultiplier", "momentum", "weightDecay", "power",
                "lossWeights", "auxWeight", "seed", "workers", "checkpointEvery", "validateEvery", "backboneInit",
                "maxGradNorm", "scaleLossWeights", "diagnosticsEvery", "headInit"), fields);
        assertEquals(config, JSON.readValue(config.toString(), TrainConfig.class));
        var old = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(config);
        old.remove(List.of("scaleLossWeights", "diagnosticsEvery", "headInit"));
        TrainConfig read = JSON.treeToValue(old, TrainConfig.class);
        assertEquals(HeadInit.KAIMING_FAN_OUT, read.headInit());
        assertEquals(0, read.diagnosticsEvery());
        assertNull(read.lossWeights().scales());
    }
}
