package dev.danet.spark;

import dev.danet.cli.InferenceFlags;
import dev.danet.inference.InferenceOptions;
import dev.danet.io.ModelCard;
import dev.danet.io.ModelLoader;
import java.io.Serializable;

/**
 * Which model a job runs and how, sent with the job: the model and inference flags as parsed
 * on the driver, which every executor turns into its options with the code `./danet segment` /
 * `./danet eval` use, so the same flags load the same model and run the same inference.
 *
 * @param model the model file (a path every executor can read, or the name of a file shipped
 *     with spark-submit --files, see {@link ExecutorModels}) and how to load it
 * @param inference scales, flip, sliding windows
 */
public record ModelSpec(SparkModelOptions model, InferenceFlags inference) implements Serializable {

    /** The spec for these flags, checked here on the driver rather than on every executor. */
    static ModelSpec of(SparkModelOptions model, InferenceFlags inference) {
        ModelSpec spec = new ModelSpec(model, inference);
        spec.loaderOptions();
        spec.inference.toOptions(null);
        return spec;
    }

    String weights() {
        return model.weights;
    }

    ModelLoader.Options loaderOptions() {
        return model.toLoaderOptions();
    }

    /** The inference options for a model with this card: its test recipe unless a flag replaces it. */
    InferenceOptions options(ModelCard card) {
        return inference.toOptions(card);
    }
}
