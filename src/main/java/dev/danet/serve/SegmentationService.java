package dev.danet.serve;

import dev.danet.data.ImageDecoder;
import dev.danet.data.ImageProblem;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.CamChannels;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.LoadedModel;
import dev.danet.nn.HeadType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What the HTTP service does, without the HTTP: segment an upload, analyse it for the page
 * (segmentation plus attention features, cached by id), and answer attention questions about
 * analysed images. Every use of the network goes through the {@link InferenceQueue}.
 */
public final class SegmentationService implements AutoCloseable {

    /** CAM channels offered per image besides the per-class picks. */
    static final int OVERALL_CHANNELS = 4;

    /** A segmented upload. */
    record Segmented(String name, RgbImage photo, int[] labels, long[] counts, Analysis.Timing timing) {}

    /** One row of the position attention map, for an image pixel. */
    record AttentionRow(int x, int y, int cell, int cellX, int cellY, int gridWidth, int gridHeight, float[] values) {}

    private final LoadedModel model;
    private final ServeOptions options;
    private final InferenceQueue queue;
    private final ImageSegmenter segmenter;
    private final AnalysisCache cache;
    private final SecureRandom random = new SecureRandom();

    public SegmentationService(LoadedModel model, ServeOptions options) {
        this.model = model;
        this.options = options;
        this.queue = new InferenceQueue(options.maxWaiting(), options.maxWait());
        this.segmenter = new ImageSegmenter(model.network(), model.card().normalization(), options.inference());
        this.cache = new AnalysisCache(options.cacheEntries(), options.cacheBytes());
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

    /** Checks the image header (format, pixel count) before any decoding. */
    void checkHeader(Uploads.Upload upload) {
        int[] size = ImageDecoder.size(upload.name(), upload.bytes());
        long pixels = (long) size[0] * size[1];
        if (pixels > options.maxPixels()) {
            throw new ImageProblem(ImageProblem.Kind.TOO_LARGE, upload.name() + ": image is " + size[0] + "x"
                    + size[1] + " = " + pixels + " pixels, more than this server's limit of " + options.maxPixels()
                    + " pixels");
        }
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
                    dev.danet.viz.LabelImages.counts(result.labels(), model.classes().size()),
                    new Analysis.Timing(ticket.waitedSeconds(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, 0));
        });
    }

    Analysis analyze(InferenceQueue.Ticket ticket, Uploads.Upload upload) {
        checkHeader(upload);
        Analysis analysis = ticket.exclusive(() -> {
            long t0 = System.nanoTime();
            RgbImage photo = ImageDecoder.decodeRgb(upload.name(), upload.bytes(), options.maxPixels());
            long t1 = System.nanoTime();
            ImageSegmenter.Result result = segmenter.segment(photo, ImageSegmenter.Scores.NONE);
            long t2 = System.nanoTime();
            AttentionFeatures features = model.network().config().head() == HeadType.FCN ? null
                    : AttentionFeatures.compute(model.network(), model.card().normalization(), photo,
                            options.attentionSide());
            long t3 = System.nanoTime();
            List<CamChannels.Pick> channels = new ArrayList<>();
            if (features != null && features.hasChannelAttention()) {
                int[] cellLabels = CamChannels.labelsAtCells(features, result.labels());
                channels.addAll(CamChannels.byClass(features, cellLabels, model.classes().size()));
                for (CamChannels.Pick pick : CamChannels.strongestOverall(features, OVERALL_CHANNELS)) {
                    if (channels.stream().noneMatch(p -> p.channel() == pick.channel())) {
                        channels.add(pick);
                    }
                }
            }
            return new Analysis(newId(), upload.name(), photo, result.labels(),
                    dev.danet.viz.LabelImages.counts(result.labels(), model.classes().size()), features, channels,
                    new Analysis.Timing(ticket.waitedSeconds(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
        });
        cache.put(analysis);
        return analysis;
    }

    Analysis analysis(String id) {
        return cache.get(id);
    }

    AttentionRow attention(InferenceQueue.Ticket ticket, String id, int x, int y) {
        Analysis analysis = cache.get(id);
        AttentionFeatures features = analysis.features();
        if (features == null || !features.hasPositionAttention()) {
            throw new HttpProblem(409, "the model's " + model.network().config().head().id()
                    + " head has no position attention module");
        }
        if (x < 0 || y < 0 || x >= features.imageWidth() || y >= features.imageHeight()) {
            throw HttpProblem.badRequest("pixel " + x + "," + y + " is outside the " + features.imageWidth() + "x"
                    + features.imageHeight() + " image");
        }
        int cell = features.cellAt(x, y);
        float[] row = ticket.exclusive(() -> features.positionAttentionRow(model.network(), cell));
        return new AttentionRow(x, y, cell, cell % features.width(), cell / features.width(), features.width(),
                features.height(), row);
    }

    float[] channel(String id, int channel) {
        AttentionFeatures features = cache.get(id).features();
        if (features == null || !features.hasChannelAttention()) {
            throw new HttpProblem(409, "the model's " + model.network().config().head().id()
                    + " head has no channel attention module");
        }
        if (channel < 0 || channel >= features.camChannels()) {
            throw HttpProblem.badRequest("channel " + channel + " is outside 0.." + (features.camChannels() - 1));
        }
        return features.channelMap(channel);
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
