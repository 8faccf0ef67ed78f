package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.ClassListFile;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import dev.danet.inference.WindowBudget;
import dev.danet.viz.SegmentationFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a model on pictures and writes label maps, colour maps and overlays. */
@Command(name = "segment",
        mixinStandardHelpOptions = true,
        description = {
            "Segment images: a label PNG, a colour PNG and an overlay for each (any size; folders too).",
            "",
            "The label PNG is a palette PNG whose pixel values are class indices (16-bit grey beyond 255 classes); "
                    + "optional logits / probabilities go to .npy files. Folders are searched recursively and their tree is mirrored. "
                    + "Images longer than --crop run as sliding windows. DIR/classes.txt lists the classes and their "
                    + "colours. Without --weights, the DANet that `./danet demo` trains is used.",
            "",
            "Example: ./danet segment photos/ street.jpg --out out/segment --flip"
        })
final class SegmentCommand implements Callable<Integer> {

    private static final String CLASS_LIST = "classes.txt";

    @Mixin
    TrainedModelOptions model;

    @Mixin
    InferenceFlags inference;

    @Parameters(arity = "1..*", paramLabel = "IMAGE|FOLDER", description = "Images or folders of images ("
            + ImageInputs.EXTENSIONS + ").")
    List<Path> inputs;

    @Option(names = "--out", defaultValue = "out/segment", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--logits", description = "Also write NAME_logits.npy: (K, H, W) float32 logits, averaged over"
            + " the scales and flips run.")
    boolean logits;

    @Option(names = "--probabilities", description = "Also write NAME_probs.npy: (K, H, W) float32 class"
            + " probabilities (softmax of those logits).")
    boolean probabilities;

    @Option(names = "--opacity", defaultValue = "0.6", paramLabel = "A",
            description = "Opacity of the class colours in the overlay, 0..1 (default: ${DEFAULT-VALUE}).")
    float opacity;

    @Mixin
    ImageLimits limits;

    @Override
    public Integer call() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new DanetException("--opacity must be between 0 and 1, got " + opacity);
        }
        long maxPixels = limits.maxPixels();
        inference.toOptions(null); // flag errors before any loading
        ImageSegmenter.Scores scores = ImageSegmenter.Scores.of(logits, probabilities);
        List<ImageInputs.Input> images = ImageInputs.collect(inputs, out);
        InputGuard guard = InputGuard.of(images.stream().map(ImageInputs.Input::file).toList());
        guard.refuse(out.resolve(CLASS_LIST), "the class list");
        for (ImageInputs.Input input : images) {
            for (Path output : SegmentationFiles.paths(out, input.stem(), scores)) {
                guard.refuse(output, "the output " + output.getFileName() + " of " + input.file());
            }
        }
        List<String> failures = new ArrayList<>();
        List<ImageInputs.Input> good = new ArrayList<>();
        for (ImageInputs.Input input : images) {
            // Header only: bad files are found before the model loads.
            try {
                checkHeader(input.file(), maxPixels);
                good.add(input);
            } catch (DanetException e) {
                skip(e, images.size(), failures);
            }
        }
        long start = System.nanoTime();
        int done = 0;
        LoadedModel loaded = null;
        try (ProgressBar bar = good.size() > 1 ? new ProgressBarBuilder().setTaskName("segment")
                .setInitialMax(good.size()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .showSpeed().build() : null) {
            ImageSegmenter segmenter = null;
            WindowBudget windows = null;
            for (ImageInputs.Input input : good) {
                RgbImage photo = null;
                try {
                    photo = ImageDecoder.readRgb(input.file(), maxPixels);
                } catch (DanetException e) {
                    skip(e, images.size(), failures);
                }
                // The model loads once there is something to segment: a lone bad file costs nothing.
                // A model that does not load is an error for the whole run, not for one image.
                if (photo != null && loaded == null) {
                    loaded = LoadedModel.load(model.weightsFile(), model.toLoaderOptions(), System.err);
                    System.err.println("model: " + loaded.network().config().describe() + "; classes: "
                            + loaded.classes().name() + " (" + loaded.classes().size() + ")");
                    InferenceOptions options = inference.toOptions(loaded.card());
                    System.err.println("inference: " + options);
                    segmenter = new ImageSegmenter(loaded.network(), loaded.card().normalization(), options);
                    windows = limits.windows(options);
                    ClassListFile.write(out.resolve(CLASS_LIST), loaded.classes());
                }
                if (photo != null) {
                    try {
                        windows.check(input.file().toString(), photo.width(), photo.height());
                        SegmentationFiles.requireScoresFit(input.file(), photo, loaded.classes(), scores);
                        SegmentationFiles.write(out, input.stem(), photo, segmenter.segment(photo, scores),
                                loaded.classes(), opacity);
                        done++;
                    } catch (DanetException e) {
                        skip(e, images.size(), failures);
                    }
                }
                if (bar != null) {
                    bar.step();
                }
            }
        } finally {
            if (loaded != null) {
                loaded.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "segmented %d image(s) in %.1f s (%.2f s/image) into %s%n", done, seconds,
                seconds / Math.max(1, done), out);
        if (!failures.isEmpty()) {
            throw new DanetException(failures.size() + " of " + images.size()
                    + " images could not be segmented (each is listed above with the reason)");
        }
        return 0;
    }

    /** A bad image: the error itself when it is the only one, else a "skipped" line and on. */
    private static void skip(DanetException e, int images, List<String> failures) {
        if (images == 1) {
            throw e;
        }
        failures.add(e.getMessage());
        System.err.println("skipped " + e.getMessage());
    }

    private static void checkHeader(Path file, long maxPixels) {
        int[] size = ImageDecoder.size(file);
        long pixels = (long) size[0] * size[1];
        if (pixels > maxPixels) {
            throw new DanetException(file + ": image is " + size[0] + "x" + size[1] + " = " + pixels
                    + " pixels, more than the limit of " + maxPixels + " (raise --max-pixels, or shrink the image)");
        }
    }
}
