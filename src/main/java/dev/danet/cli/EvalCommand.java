package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.BadSamples;
import dev.danet.data.ClassSet;
import dev.danet.data.LabeledImage;
import dev.danet.data.SegmentationDataset;
import dev.danet.eval.EvaluationReport;
import dev.danet.eval.EvaluationResult;
import dev.danet.eval.Evaluator;
import dev.danet.eval.MetricsTable;
import dev.danet.eval.ReportFiles;
import dev.danet.inference.InferenceOptions;
import dev.danet.io.AtomicFiles;
import dev.danet.io.ModelCard;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
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

    @Option(names = "--scales", split = ",", paramLabel = "S,S,...", defaultValue = "1.0",
            description = "Test-time scales to run and sum (default: ${DEFAULT-VALUE}; the reference's multi-scale set is"
                    + " 0.5,0.75,1.0,1.25,1.5,1.75,2.0). Not the model's own scales: an Attention-to-Scale model"
                    + " (trained with train --scales) brings those in its checkpoint and fuses them inside every run.")
    double[] scales;

    @Option(names = "--flip", description = "Also run the mirrored image and add its scores.")
    boolean flip;

    @Option(names = "--crop", paramLabel = "N",
            description = "Window side; (resized) images no longer than this are run whole (default: the model's"
                    + " published test recipe when its checkpoint has one, e.g. mmseg's whole image or 769 windows;"
                    + " else 512).")
    Integer crop;

    @Option(names = "--base-size", paramLabel = "N",
            description = "Long side at scale 1 (default: each image's own long side, i.e. no resize at scale 1).")
    Integer baseSize;

    @Option(names = "--stride-ratio", paramLabel = "R",
            description = "Window stride as a fraction of the crop (default: 2/3 for one scale, 1/2 for several).")
    Double strideRatio;

    @Option(names = "--reference-exact",
            description = "Match the reference's remaining details: pad with black (-mean/std) instead of the mean"
                    + " colour, pad small whole images to the crop, and sum exp(logits) instead of logits.")
    boolean referenceExact;

    @Option(names = "--out", defaultValue = "out/eval", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--save-predictions",
            description = "Also write each predicted label map, in the dataset's class colours, to DIR/predictions/.")
    boolean savePredictions;

    @Override
    public Integer call() {
        inferenceOptions(); // flag errors before any loading
        BadSamples bad = data.badSamples();
        SegmentationDataset dataset = data.open(split, bad, System.err);
        ClassSet classes = dataset.classes();
        colours = classes.colours();
        try (ModelLoader.Loaded loaded = ModelLoader.open(model.weights, model.toLoaderOptions(), System.err)) {
            Network network = loaded.network().setInferenceOnly(true);
            int modelClasses = network.config().classes();
            if (modelClasses != classes.size()) {
                throw new DanetException(model.weights + ": the model predicts " + modelClasses + " classes but the "
                        + dataset.layoutId() + " dataset at " + dataset.root() + " has " + classes.size() + " classes");
            }
            InferenceOptions options = inferenceOptions(loaded.card());
            System.err.println("model: " + network.config().describe());
            System.err.printf(Locale.ROOT, "data: %s split '%s' of %s, %d images, %d classes%n", dataset.layoutId(),
                    split, dataset.root(), dataset.size(), classes.size());
            System.err.println("inference: " + options);
            Evaluator evaluator = Evaluator.of(network, loaded.card().normalization(), options);
            EvaluationResult result;
            try (Progress progress = new Progress(System.err)) {
                result = evaluator.evaluate(dataset, bad, progress,
                        savePredictions ? this::savePrediction : Evaluator.PredictionSink.NONE);
            }
            System.out.print(MetricsTable.format(result.metrics()));
            System.out.printf(Locale.ROOT, "%d images in %.1f s (%.2f s/image)%n", result.images(), result.seconds(),
                    result.secondsPerImage());
            EvaluationReport report = new EvaluationReport(network.config().describe(), model.weights.toString(),
                    new EvaluationReport.Dataset(dataset.layoutId(), dataset.root().toString(), split, result.images(),
                            result.skippedImages(), bad.problems()),
                    EvaluationReport.Settings.of(options), result.metrics(), EvaluationReport.Timing.of(result));
            List<Path> written = ReportFiles.write(out, report, result.confusion());
            System.out.println("wrote " + written.get(0) + " and " + written.get(1)
                    + (savePredictions ? " and " + out.resolve("predictions") + "/" : ""));
        }
        List<String> problems = bad.problems();
        if (!problems.isEmpty()) {
            System.err.println("skipped " + problems.size() + " bad sample(s):");
            problems.forEach(p -> System.err.println("  " + p));
        }
        return 0;
    }

    /** Packed 0xRRGGBB colour by class, for --save-predictions. */
    private int[] colours;

    /**
     * The options for a loaded model: its card's published test recipe when no flag names a window,
     * size, stride or the reference's details; else the flags.
     */
    private InferenceOptions inferenceOptions(ModelCard card) {
        InferenceOptions flags = inferenceOptions();
        if (crop != null || baseSize != null || strideRatio != null || referenceExact || card.testRecipe() == null) {
            return flags;
        }
        return InferenceOptions.fromRecipe(card.testRecipe(), flags.scales(), flip);
    }

    private InferenceOptions inferenceOptions() {
        try {
            if (scales == null || scales.length == 0) {
                throw new IllegalArgumentException("--scales needs at least one scale");
            }
            InferenceOptions options = InferenceOptions.of(scales, flip, crop == null ? 512 : crop,
                    baseSize == null ? 0 : checkBase(baseSize));
            if (strideRatio != null) {
                options = options.withStrideRatio(strideRatio);
            }
            return referenceExact ? options.referenceExact() : options;
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
    }

    private static int checkBase(int base) {
        if (base < 1) {
            throw new IllegalArgumentException("--base-size must be positive, got " + base);
        }
        return base;
    }

    private void savePrediction(LabeledImage sample, int[] prediction) {
        int width = sample.image().width();
        int height = sample.image().height();
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < prediction.length; i++) {
            picture.setRGB(i % width, i / width, colours[prediction[i]]);
        }
        Path file = out.resolve("predictions").resolve(sample.id() + ".png");
        AtomicFiles.write(file, stream -> {
            if (!ImageIO.write(picture, "png", stream)) {
                throw new java.io.IOException("no PNG writer");
            }
        });
    }

    /** Progress on stderr: one updating line on a terminal, else a line every tenth of the run. */
    private static final class Progress implements Evaluator.Progress, AutoCloseable {

        private final PrintStream err;
        private final boolean terminal = System.console() != null;
        private boolean open;

        Progress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void update(Evaluator.Status s) {
            String line = String.format(Locale.ROOT, "eval %d/%d  pixAcc %.4f  mIoU %.4f  %.2f s/image%s", s.done(),
                    s.total(), s.pixelAccuracy(), s.miouAllClasses(), s.seconds() / s.done(),
                    s.skipped() > 0 ? "  (" + s.skipped() + " skipped)" : "");
            if (terminal) {
                err.print("\r" + line);
                open = true;
            } else if (s.done() % Math.max(1, s.total() / 10) == 0 || s.done() + s.skipped() == s.total()) {
                err.println(line);
            }
        }

        @Override
        public void close() {
            if (open) {
                err.println();
            }
        }
    }
}
