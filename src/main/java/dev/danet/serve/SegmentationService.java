package dev.danet.serve;

import dev.danet.data.ImageDecoder;
import dev.danet.data.ImageProblem;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionReport;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.LoadedModel;
import dev.danet.inference.WindowBudget;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * What the HTTP service does, without the HTTP: segment an upload, analyse it for the page
 * (its {@link AttentionReport}, cached by id), and answer attention questions about
 * analysed images. Every use of the network goes through the {@link InferenceQueue}.
 */
public final class SegmentationService implements AutoCloseable {

    /** A segmented upload. */
    record Segmented(String name, RgbImage photo, int[] labels, long[] counts, Analysis.Timing timing) {}

    /** Most probability values one answer may carry (64 MB as float32). */
    static final long MAX_PROBABILITY_VALUES = 16L << 20;

    private final LoadedModel model;
    private final ServeOptions options;
    private final InferenceQueue queue;
    private final ImageSegmenter segmenter;
    private final AnalysisCache cache;
    private final WindowBudget windows;
    private final SecureRandom random = new SecureRandom();

    public SegmentationService(LoadedModel model, ServeOptions options) {
        this.model = model;
        this.options = options;
        this.queue = new InferenceQueue(options.maxWaiting(), options.maxWait());
        this.segmenter = new ImageSegmenter(model.network(), model.card().normalization(), options.inference());
        this.cache = new AnalysisCache(options.cacheEntries(), options.cacheBytes());
        this.windows = options.windowBudget();
    }

    public LoadedModel model() {
        return model;
    }

    public ServeOptions options() {
        return options;
    }

    public InferenceQueue queue() {
        return queue;
    }

    AnalysisCache cache() {
        return cache;
    }

    boolean hasPositionAttention() {
        return model.network().config().head().usesPositionAttention();
    }

    boolean hasChannelAttention() {
        return model.network().config().head().usesChannelAttention();
    }

    /** Checks the image header (format, pixel count, model runs) before any decoding. */
    void checkHeader(Uploads.Upload upload) {
        int[] size = ImageDecoder.size(upload.name(), upload.bytes());
        long pixels = (long) size[0] * size[1];
        if (pixels > options.maxPixels()) {
            throw new ImageProblem(ImageProblem.Kind.TOO_LARGE, upload.name() + ": image is " + size[0] + "x"
                    + size[1] + " = " + pixels + " pixels, more than this server's limit of " + options.maxPixels()
                    + " pixels");
        }
        windows.check(upload.name(), size[0], size[1]);
    }

    Segmented segment(InferenceQueue.Ticket ticket, Uploads.Upload upload) {
        checkHeader(upload);
        return ticket.exclusive(() -> {
            long t0 = System.nanoTime();
            RgbImage photo = ImageDecoder.decodeRgb(upload.name(), upload.bytes(), options.maxPixels());
            long t1 = System.nanoTime();
            ImageSegmenter.Result result = segmenter.segment(photo, ImageSegmenter.Scores.NONE);
            long t2 = System.nanoTime();
            return new Segmented(upload.name(), photo, result.labels(),
                    model.classes().pixelCounts(result.labels()),
                    new Analysis.Timing(ticket.waitedSeconds(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, 0));
        });
    }

    /**
     * A segmentation for the inference protocols.
     *
     * @param probabilities (K, H, W) class probabilities, or null when not asked for
     * @param modelSeconds time on the model (decoding included), without the wait for it
     */
    record Inferred(int width, int height, int[] labels, int classes, float[] probabilities, double modelSeconds) {}

    /** Segments an encoded image (checked from its header first); probabilities only if asked. */
    Inferred infer(InferenceQueue.Ticket ticket, Uploads.Upload upload, boolean probabilities) {
        checkHeader(upload);
        checkScores(upload.name(), ImageDecoder.size(upload.name(), upload.bytes()), probabilities);
        return ticket.exclusive(() -> {
            long t0 = System.nanoTime();
            RgbImage photo = ImageDecoder.decodeRgb(upload.name(), upload.bytes(), options.maxPixels());
            return run(photo, probabilities, t0);
        });
    }

    /** Segments pixels sent as a tensor, under the same limits as an encoded image. */
    Inferred infer(InferenceQueue.Ticket ticket, String name, RgbImage photo, boolean probabilities) {
        long pixels = (long) photo.width() * photo.height();
        if (pixels > options.maxPixels()) {
            throw new ImageProblem(ImageProblem.Kind.TOO_LARGE, name + ": image is " + photo.width() + "x"
                    + photo.height() + " = " + pixels + " pixels, more than this server's limit of "
                    + options.maxPixels() + " pixels");
        }
        windows.check(name, photo.width(), photo.height());
        checkScores(name, new int[] {photo.width(), photo.height()}, probabilities);
        return ticket.exclusive(() -> run(photo, probabilities, System.nanoTime()));
    }

    /** Probabilities are K floats a pixel: refused above {@link #MAX_PROBABILITY_VALUES} before any work. */
    private void checkScores(String name, int[] size, boolean probabilities) {
        long values = (long) size[0] * size[1] * model.classes().size();
        if (probabilities && values > MAX_PROBABILITY_VALUES) {
            throw new HttpProblem(413, name + ": probabilities of a " + size[0] + "x" + size[1] + " image are "
                    + values + " values, more than this server's limit of " + MAX_PROBABILITY_VALUES
                    + "; ask for the labels only, or send a smaller image");
        }
    }

    private Inferred run(RgbImage photo, boolean probabilities, long started) {
        ImageSegmenter.Result result = segmenter.segment(photo,
                probabilities ? ImageSegmenter.Scores.PROBABILITIES : ImageSegmenter.Scores.NONE);
        return new Inferred(result.width(), result.height(), result.labels(), result.classes(),
                result.probabilities(), (System.nanoTime() - started) / 1e9);
    }

    Analysis analyze(InferenceQueue.Ticket ticket, Uploads.Upload upload) {
        checkHeader(upload);
        Analysis analysis = ticket.exclusive(() -> {
            long t0 = System.nanoTime();
            RgbImage photo = ImageDecoder.decodeRgb(upload.name(), upload.bytes(), options.maxPixels());
            long t1 = System.nanoTime();
            AttentionReport report = AttentionReport.of(model, segmenter, photo, options.attentionSide());
            return new Analysis(newId(), upload.name(), report, new Analysis.Timing(ticket.waitedSeconds(),
                    (t1 - t0) / 1e9, report.timing().segment(), report.timing().attention()));
        });
        cache.put(analysis);
        return analysis;
    }

    Analysis analysis(String id) {
        return cache.get(id);
    }

    AttentionReport.PositionRow attention(InferenceQueue.Ticket ticket, String id, int x, int y) {
        AttentionReport report = cache.get(id).report();
        if (!report.hasPositionAttention()) {
            throw new HttpProblem(409, "the model's " + model.network().config().head().id()
                    + " head has no position attention module");
        }
        int width = report.photo().width();
        int height = report.photo().height();
        if (x < 0 || y < 0 || x >= width || y >= height) {
            throw HttpProblem.badRequest("pixel " + x + "," + y + " is outside the " + width + "x" + height + " image");
        }
        return ticket.exclusive(() -> report.positionRow(model.network(), x, y));
    }

    /** The report of an analysed image whose channel c can be shown, or a 409 / 400 problem. */
    AttentionReport reportWithChannel(String id, int channel) {
        AttentionReport report = cache.get(id).report();
        if (!report.hasChannelAttention()) {
            throw new HttpProblem(409, "the model's " + model.network().config().head().id()
                    + " head has no channel attention module");
        }
        int channels = report.features().camChannels();
        if (channel < 0 || channel >= channels) {
            throw HttpProblem.badRequest("channel " + channel + " is outside 0.." + (channels - 1));
        }
        return report;
    }

    /** Stops the inference thread (the model itself belongs to the caller). */
    @Override
    public void close() {
        queue.close();
    }

    private String newId() {
        byte[] bytes = new byte[9];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
