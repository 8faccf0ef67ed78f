package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.ClassSet;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationReport;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.eval.MetricsTable;
import dev.danet.eval.ReportFiles;
import dev.danet.inference.InferenceOptions;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import dev.danet.viz.Images;
import dev.danet.viz.LabelPictures;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores a model on a dataset split: pixel accuracy, per-class IoU and mIoU. */
@Command(name = "eval",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluate a model on a dataset split: pixel accuracy, per-class IoU, mIoU.",
            "",
            "Inference follows the reference DANet evaluation. For each scale the image is resized so its long "
                    + "side is base-size x scale; an image longer than --crop is run as sliding crop x crop windows "
                    + "(stride 2/3 of the crop for one scale, 1/2 for several), overlaps averaged. --flip adds the "
                    + "mirrored image's scores. Scales are summed at the original size. Two mIoUs are printed: over ALL "
                    + "classes (absent ones count 0, as the reference) and over the classes present (as mmseg).",
            "",
            "Writes DIR/metrics.json and DIR/confusion.csv (rows = truth).",
            "",
            "Example: ./danet eval --weights model.danet --data data/cityscapes",
            "  --crop 768 --base-size 2048 --scales 0.5,0.75,1.0,1.25,1.5,1.75,2.0 --flip"
        })
final class EvalCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "val", paramLabel = "NAME",
            description = "Split to evaluate (default: ${DEFAULT-VALUE}).")
    String split;

    @Mixin
    InferenceFlags.WithReferenceDetails inference;

    @Option(names = "--out", defaultValue = "out/eval", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--save-predictions",
            description = "Also write each predicted label map, in the dataset's class colours, to DIR/predictions/.")
    boolean savePredictions;

    @Override
    public Integer call() {
        inference.toOptions(null); // flag errors before any loading
        BadSamples bad = data.badSamples();
        SegmentationDataset dataset = data.open(split, bad, System.err);
        ClassSet classes = dataset.classes();
        try (ModelLoader.Loaded loaded = ModelLoader.open(model.weights, model.toLoaderOptions(), System.err)) {
            Network network = loaded.network().setInferenceOnly(true);
            int modelClasses = network.config().classes();
            if (modelClasses != classes.size()) {
                throw new DanetException(model.weights + ": the model predicts " + modelClasses + " classes but the "
                        + dataset.layoutId() + " dataset at " + dataset.root() + " has " + classes.size() + " classes");
            }
            InferenceOptions options = inference.toOptions(loaded.card());
            System.err.println("model: " + network.config().describe());
            System.err.printf(Locale.ROOT, "data: %s split '%s' of %s, %d images, %d classes%n", dataset.layoutId(),
                    split, dataset.root(), dataset.size(), classes.size());
            System.err.println("inference: " + options);
            Evaluator evaluator = Evaluator.of(network, loaded.card().normalization(), options);
            PredictionFolder predictions = savePredictions ? PredictionFolder.start(out.resolve("predictions")) : null;
            Evaluator.PredictionSink sink = !savePredictions ? Evaluator.PredictionSink.NONE
                    : (sample, prediction) -> Images.writePng(predictions.file(sample.id() + ".png"),
                            LabelPictures.colour(prediction, sample.image().width(), sample.image().height(), classes));
            EvaluationResult result;
            try (EvalProgress progress = new EvalProgress(System.err)) {
                result = evaluator.evaluate(dataset, bad, progress, sink);
            }
            System.out.print(MetricsTable.format(result.metrics()));
            System.out.printf(Locale.ROOT, "%d images in %.1f s (%.2f s/image)%n", result.images(), result.seconds(),
                    result.secondsPerImage());
            EvaluationReport report = EvaluationReport.of(network.config().describe(), model.weights, dataset, options,
                    result, bad.problems());
            List<Path> written = ReportFiles.write(out, report, result.confusion());
            if (predictions != null) {
                predictions.finish();
            }
            System.out.println("wrote " + written.get(0) + " and " + written.get(1)
                    + (savePredictions ? " and " + out.resolve("predictions") + "/" : ""));
        }
        DataOptions.printSkipped(bad, System.err);
        return 0;
    }
}
