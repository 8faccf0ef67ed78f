package dev.danet.train;

import dev.danet.IoProblems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.DanetException;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.ResNetDepth;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A documented training recipe as data: the settings of a {@link TrainConfig} that an
 * experiment fixes, read from a small JSON file (the project's are in recipes/ and inside the
 * jar). Its fields are those of a saved configuration, each optional; "model" holds architecture
 * fields of a saved {@link ModelConfig} (the class count comes from the dataset), "epochs" may
 * stand in for "iterations", and "description" says what the recipe is for. A run's saved
 * "train_config" is a recipe too. What the recipe leaves out is the reference recipe's
 * ({@link TrainConfig#builder()}).
 */
public final class Recipe {

    /** The recipes that ship with the project: recipes/NAME.json. */
    public static final List<String> NAMES = List.of("demo", "cityscapes", "scale-ablation");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCES = "/dev/danet/recipes/";

    private final String name;
    private final ObjectNode settings;

    private Recipe(String name, ObjectNode settings) {
        this.name = name;
        this.settings = settings;
    }

    /** No recipe: the reference recipe alone. */
    public static Recipe reference() {
        return new Recipe("reference", JSON.createObjectNode());
    }

    /** A shipped recipe by name ({@link #NAMES}) or a JSON file. */
    public static Recipe load(String nameOrFile) {
        if (NAMES.contains(nameOrFile)) {
            try (InputStream in = Recipe.class.getResourceAsStream(RESOURCES + nameOrFile + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("recipe " + nameOrFile + " missing from the build");
                }
                return parse(nameOrFile, JSON.readTree(in));
            } catch (IOException e) {
                throw new IllegalStateException("recipe " + nameOrFile + ": " + IoProblems.reason(e), e);
            }
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new DanetException("no recipe " + nameOrFile + ": give one of " + String.join(", ", NAMES)
                    + " or a JSON file");
        }
        try {
            return parse(file.toString(), JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new DanetException(file + ": not a readable recipe: " + IoProblems.reason(e), e);
        }
    }

    private static Recipe parse(String name, JsonNode node) {
        if (!(node instanceof ObjectNode settings)) {
            throw new DanetException(name + ": a recipe is a JSON object of training settings");
        }
        if (settings.has("model") && !settings.get("model").isObject()) {
            throw new DanetException(name + ": \"model\" holds architecture settings, e.g. {\"backbone\": \"resnet18\"}");
        }
        if (settings.has("iterations") && settings.has("epochs")) {
            throw new DanetException(name + ": give iterations or epochs, not both");
        }
        Recipe recipe = new Recipe(name, settings);
        recipe.builder(1); // fail now, naming the file, rather than after the dataset is read
        return recipe;
    }

    public String name() {
        return name;
    }

    /** What the recipe is for, in a sentence or two ("" when it does not say). */
    public String description() {
        return settings.path("description").asText("");
    }

    /** Passes over the training split the recipe trains for, or null when it gives iterations (or neither). */
    public Integer epochs() {
        return settings.has("epochs") ? settings.get("epochs").asInt() : null;
    }

    /** Whether the recipe says how long to train (iterations or epochs). */
    public boolean saysHowLong() {
        return settings.has("iterations") || settings.has("epochs");
    }

    /**
     * The recipe's configuration for a dataset of the given classes, to complete (data, and
     * iterations when the recipe gives none) and adjust before building: the reference recipe
     * with the recipe's settings over it; the architecture is the reference DANet-ResNet-50's
     * with the recipe's model fields over it.
     */
    public TrainConfig.Builder builder(int classes) {
        ObjectNode training = settings.deepCopy();
        training.remove(List.of("description", "epochs", "model"));
        ObjectNode model = JSON.valueToTree(ModelConfig.danet(ResNetDepth.RESNET50, classes));
        if (settings.has("model")) {
            model.setAll((ObjectNode) settings.get("model"));
            model.put("classes", classes);
        }
        try {
            TrainConfig.Builder builder = TrainConfig.builder().model(JSON.treeToValue(model, ModelConfig.class));
            return JSON.readerForUpdating(builder).readValue(training);
        } catch (IOException | IllegalArgumentException e) {
            throw new DanetException(name + ": not a usable recipe: " + e.getMessage(), e);
        }
    }
}
