package dev.danet.api;

import dev.danet.DanetException;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import dev.danet.inference.WindowBudget;
import dev.danet.io.ModelLoader;
import dev.danet.nn.ConvolutionAlgorithm;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.HeadType;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A DANet model loaded for segmenting pictures: the entry point for embedding it in a service.
 *
 * <pre>{@code
 * try (Segmenter segmenter = Segmenter.builder(Path.of("model.danet")).flip(true).build()) {
 *     Segmentation s = segmenter.segment(Path.of("street.jpg"), Output.PROBABILITIES);
 * }
 * }</pre>
 *
 * <p>Reads any weights file the project reads: its own {@code .danet} checkpoints and PyTorch
 * checkpoints in the layouts listed in docs/weights.md (the reference DANet, mmsegmentation,
 * torchvision). A model whose file carries its publisher's test recipe runs with that recipe
 * unless {@link Builder#windowSize} says otherwise.
 *
 * <p><b>Threads.</b> A segmenter is safe to share: any number of threads may call it, and their
 * inferences run one at a time, in arrival order (a fair lock), on the one copy of the weights.
 * Decoding an image happens before the lock is taken. On a CPU one inference already uses every
 * core libtorch is given, so parallel callers gain nothing but memory; for a GPU or many cores,
 * open several segmenters (each holds its own weights) and hand them out from a pool.
 *
 * <p><b>Resources.</b> The weights live in native memory until {@link #close()}; after it every
 * call throws {@link IllegalStateException}. Close waits for the inference in progress.
 */
public final class Segmenter implements AutoCloseable {

    private final LoadedModel model;
    private final ImageSegmenter segmenter;
    private final WindowBudget windows;
    private final long maxPixels;
    private final int attentionSide;
    private final ReentrantLock turn = new ReentrantLock(true);
    private boolean closed; // guarded by turn

    private Segmenter(LoadedModel model, InferenceOptions options, long maxPixels, int attentionSide) {
        this.model = model;
        this.segmenter = new ImageSegmenter(model.network(), model.card().normalization(), options);
        this.windows = WindowBudget.forPixelLimit(options, maxPixels);
        this.maxPixels = maxPixels;
        this.attentionSide = attentionSide;
    }

    /**
     * A segmenter for the weights file with the default settings (scale 1, no flip, the file's recipe).
     *
     * @param weights a .danet file or a PyTorch checkpoint in a layout the project reads
     * @return the loaded segmenter; close it to free the weights
     * @throws DanetException naming the file when it is missing, unreadable or not a model
     */
    public static Segmenter load(Path weights) {
        return builder(weights).build();
    }

    /**
     * Settings for a segmenter of the weights file; {@link Builder#build()} loads it.
     *
     * @param weights a .danet file or a PyTorch checkpoint in a layout the project reads
     * @return a builder with the default settings
     */
    public static Builder builder(Path weights) {
        return new Builder(weights);
    }

    /** How a segmenter runs its model; every setting has a default. */
    public static final class Builder {

        private final Path weights;
        private double[] scales = {1.0};
        private boolean flip;
        private Integer windowSize;
        private long maxPixels = 25_000_000L;
        private int attentionSide = 512;
        private PrintStream log = new PrintStream(OutputStream.nullOutputStream());
        private boolean winograd = true;

        private Builder(Path weights) {
            if (weights == null) {
                throw new IllegalArgumentException("the weights file is required");
            }
            this.weights = weights;
        }

        /**
         * Test-time scales whose scores are averaged (default: 1.0 alone).
         *
         * @param values one or more factors in (0, 16]
         * @return this builder
         */
        public Builder scales(double... values) {
            if (values == null || values.length == 0 || Arrays.stream(values).anyMatch(s -> !(s > 0) || s > 16)) {
                throw new IllegalArgumentException("scales must be one or more numbers in (0, 16], got "
                        + Arrays.toString(values));
            }
            this.scales = values.clone();
            return this;
        }

        /**
         * Also run the mirrored picture and average its scores in (default: off).
         *
         * @param on whether to
         * @return this builder
         */
        public Builder flip(boolean on) {
            this.flip = on;
            return this;
        }

        /**
         * Side of the sliding windows: pictures longer than this run as overlapping windows, so
         * any size fits in memory (default: the file's test recipe, else 512).
         *
         * @param side the window's side in pixels, at least 16
         * @return this builder
         */
        public Builder windowSize(int side) {
            if (side < 16) {
                throw new IllegalArgumentException("the window side must be at least 16, got " + side);
            }
            this.windowSize = side;
            return this;
        }

        /**
         * Largest picture accepted; larger ones are refused before decoding (default 25 million).
         *
         * @param pixels width times height, at least 1
         * @return this builder
         */
        public Builder maxPixels(long pixels) {
            if (pixels < 1) {
                throw new IllegalArgumentException("the pixel limit must be positive, got " + pixels);
            }
            this.maxPixels = pixels;
            return this;
        }

        /**
         * Long side of the picture the attention maps are computed on (default 512).
         *
         * @param side in pixels, at least 16
         * @return this builder
         */
        public Builder attentionSide(int side) {
            if (side < 16) {
                throw new IllegalArgumentException("the attention side must be at least 16, got " + side);
            }
            this.attentionSide = side;
            return this;
        }

        /**
         * Where loading warnings go (a partial or non-finite checkpoint); default: nowhere.
         *
         * @param out a stream for the warnings; null for nowhere
         * @return this builder
         */
        public Builder warnings(PrintStream out) {
            this.log = out == null ? new PrintStream(OutputStream.nullOutputStream()) : out;
            return this;
        }

        /**
         * Run the head's wide 3x3 convolutions by NNPACK's Winograd kernels (default: on). On CPUs
         * with AVX2, a DANet-ResNet-50 at 512x512 about 20% faster, its output about as accurate;
         * off gives PyTorch's float32 numbers to the last bits. See
         * {@code ./danet --conv-algorithm} and docs/performance.md.
         *
         * @param on whether to
         * @return this builder
         */
        public Builder winogradConvolutions(boolean on) {
            this.winograd = on;
            return this;
        }

        /**
         * Loads the weights.
         *
         * @return the segmenter; close it to free the weights
         * @throws DanetException naming the file when it is missing, unreadable or not a model
         */
        public Segmenter build() {
            ExecutionOptions execution = ExecutionOptions.DEFAULTS.withConvolutionAlgorithm(
                    winograd ? ConvolutionAlgorithm.WINOGRAD : ConvolutionAlgorithm.DIRECT);
            LoadedModel model =
                    LoadedModel.load(weights, ModelLoader.Options.defaults().withExecution(execution), log);
            try {
                InferenceOptions options = windowSize == null && model.card().testRecipe() != null
                        ? InferenceOptions.fromRecipe(model.card().testRecipe(), scales, flip)
                        : InferenceOptions.of(scales, flip, windowSize == null ? 512 : windowSize, 0);
                return new Segmenter(model, options, maxPixels, attentionSide);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }

    /**
     * The model's class names.
     *
     * @return the names by class index, unmodifiable
     */
    public List<String> classNames() {
        return model.classes().names();
    }

    /**
     * The display colour of each class, as the model's card gives it.
     *
     * @return 0xRRGGBB by class index; a copy
     */
    public int[] colours() {
        return model.classes().colours().clone();
    }

    /**
     * Whether the model has attention modules.
     *
     * @return whether {@link Output#ATTENTION} can be asked for
     */
    public boolean hasAttention() {
        HeadType head = model.network().config().head();
        return head.usesPositionAttention() || head.usesChannelAttention();
    }

    /**
     * The architecture in one line, e.g. for a service's logs.
     *
     * @return e.g. "danet head on resnet101 (width 64), output stride 8, 19 classes"
     */
    public String describe() {
        return model.network().config().describe();
    }

    /**
     * Segments a picture the caller has decoded (alpha is dropped, grey taken as r = g = b).
     *
     * @param image the picture
     * @param outputs what to compute besides the labels, none by default
     * @return the labels and what was asked for, at the picture's size
     * @throws DanetException when the picture is over the pixel or window limit, or
     *     {@link Output#ATTENTION} is asked of a model without attention modules
     * @throws IllegalStateException when the segmenter is closed
     */
    public Segmentation segment(BufferedImage image, Output... outputs) {
        if ((long) image.getWidth() * image.getHeight() > maxPixels) {
            throw new DanetException("image is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels, more than this segmenter's limit of " + maxPixels + " pixels");
        }
        return segment("image", ImageDecoder.fromBufferedImage(image), outputs);
    }

    /**
     * Segments an encoded picture, e.g. a request body.
     *
     * @param encoded PNG, JPEG (its EXIF orientation applied), BMP or GIF
     * @param outputs what to compute besides the labels, none by default
     * @return the labels and what was asked for, at the picture's size
     * @throws DanetException when the picture is not an image, over the pixel or window limit, or
     *     {@link Output#ATTENTION} is asked of a model without attention modules
     * @throws IllegalStateException when the segmenter is closed
     */
    public Segmentation segment(byte[] encoded, Output... outputs) {
        return segment("image", ImageDecoder.decodeRgb("image", encoded, maxPixels), outputs);
    }

    /**
     * Segments a picture file.
     *
     * @param file PNG, JPEG (its EXIF orientation applied), BMP or GIF
     * @param outputs what to compute besides the labels, none by default
     * @return the labels and what was asked for, at the picture's size
     * @throws DanetException naming the file when it is missing, not an image, over the pixel or window limit, or
     *     {@link Output#ATTENTION} is asked of a model without attention modules
     * @throws IllegalStateException when the segmenter is closed
     */
    public Segmentation segment(Path file, Output... outputs) {
        return segment(file.toString(), ImageDecoder.readRgb(file, maxPixels), outputs);
    }

    /**
     * The weights file this segmenter loaded.
     *
     * @return its path, as given
     */
    public Path weights() {
        return model.weights();
    }

    /** Frees the weights, after the inference in progress. */
    @Override
    public void close() {
        turn.lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            turn.unlock();
        }
    }

    private Segmentation segment(String name, RgbImage image, Output... outputs) {
        Set<Output> wanted = outputs.length == 0 ? EnumSet.noneOf(Output.class) : EnumSet.copyOf(List.of(outputs));
        windows.check(name, image.width(), image.height());
        if (wanted.contains(Output.ATTENTION) && !hasAttention()) {
            throw new DanetException(model.weights() + ": the model has an " + model.network().config().head().id()
                    + " head, which has no attention maps; ask for them from a danet, pam or cam model");
        }
        ImageSegmenter.Scores scores = wanted.contains(Output.PROBABILITIES) ? ImageSegmenter.Scores.PROBABILITIES
                : ImageSegmenter.Scores.NONE;
        ImageSegmenter.Result result = exclusive(() -> segmenter.segment(image, scores));
        AttentionMaps attention = wanted.contains(Output.ATTENTION) ? new AttentionMaps(exclusive(
                () -> AttentionFeatures.compute(model.network(), model.card().normalization(), image, attentionSide)),
                this) : null;
        return new Segmentation(result.width(), result.height(), result.labels(), model.classes(),
                result.probabilities(), attention);
    }

    float[] positionAttentionRow(AttentionFeatures features, int cell) {
        return exclusive(() -> features.positionAttentionRow(model.network(), cell));
    }

    /** Runs work on the network when it is this caller's turn. */
    private <T> T exclusive(Supplier<T> work) {
        turn.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the segmenter of " + model.weights() + " is closed");
            }
            return work.get();
        } finally {
            turn.unlock();
        }
    }
}
