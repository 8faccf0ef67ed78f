package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.data.ImageDecoder;
import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionReport;
import dev.danet.inference.ImageSegmenter;
import dev.danet.inference.InferenceOptions;
import dev.danet.inference.LoadedModel;
import dev.danet.viz.AttentionReportFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The paper's attention pictures for chosen pixels of one image. */
@Command(name = "attention",
        mixinStandardHelpOptions = true,
        description = {
            "Show DANet's attention at chosen pixels: PAM heat maps, CAM channel maps, a legend.",
            "",
            "For each point: pointN_pam.png, its row of the position attention map (which pixels it draws from) "
                    + "as a heat map on the photo, and pointN_camR_chC.png, the CAM output channels most active there. "
                    + "Also class_K_NAME_chC.png (for each predicted class, the CAM channel that best separates it), "
                    + "overlay.png (the segmentation with the points marked), legend.png and attention.json. Without "
                    + "--weights, the DANet that `./danet demo` trains is used.",
            "",
            "Example: ./danet attention street.png --points 40,100 200,60 \\",
            "           --out out/attention"
        })
final class AttentionCommand implements Callable<Integer> {

    @Mixin
    TrainedModelOptions model;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image.")
    Path image;

    @Option(names = "--points", required = true, arity = "1..*", paramLabel = "X,Y",
            description = "Pixels to explain, in image coordinates (x to the right, y down, from 0).")
    List<String> points;

    @Option(names = "--out", defaultValue = "out/attention", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--channels", defaultValue = "3", paramLabel = "K",
            description = "CAM channel maps per point (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--size", defaultValue = "512", paramLabel = "N",
            description = "Long side the image is resized to (if larger) for the attention pass (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--crop", defaultValue = "512", paramLabel = "N",
            description = "Sliding-window side for the segmentation shown in overlay.png (default: ${DEFAULT-VALUE}).")
    int crop;

    @Option(names = "--max-pixels", defaultValue = "25000000", paramLabel = "N",
            description = "Refuse images with more pixels than this, from the header (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Override
    public Integer call() {
        if (channels < 0 || size < 16 || crop < 1 || maxPixels < 1) {
            throw new DanetException("--channels must be >= 0, --size >= 16, --crop and --max-pixels positive");
        }
        List<int[]> xy = parsePoints();
        // Its pictures have many generated names (overlay.png, pointN_pam.png, ...): rather than
        // match them all, keep the output folder apart from the image.
        Path folder = image.toAbsolutePath().normalize().getParent();
        if (folder != null && folder.equals(out.toAbsolutePath().normalize())) {
            throw new DanetException(image + ": is inside --out " + out + ", where attention writes its pictures;"
                    + " pick another --out");
        }
        RgbImage photo = ImageDecoder.readRgb(image, maxPixels);
        for (int[] p : xy) {
            if (p[0] >= photo.width() || p[1] >= photo.height()) {
                throw new DanetException("--points " + p[0] + "," + p[1] + " is outside " + image + " ("
                        + photo.width() + "x" + photo.height() + ")");
            }
        }
        try (LoadedModel loaded = LoadedModel.load(model.weightsFile(), model.toLoaderOptions(), System.err)) {
            AttentionReport.requireAttention(loaded);
            String description = loaded.network().config().describe();
            System.err.println("model: " + description);
            ImageSegmenter segmenter = new ImageSegmenter(loaded.network(), loaded.card().normalization(),
                    InferenceOptions.singleScale(crop));
            AttentionReport report = AttentionReport.of(loaded, segmenter, photo, size);
            List<AttentionReport.Point> explained = xy.stream()
                    .map(p -> report.point(loaded.network(), p[0], p[1], channels)).toList();
            int files = AttentionReportFiles.write(out, image, description, report, explained);
            System.out.println("wrote " + files + " files to " + out + " (legend.png explains them)");
        }
        return 0;
    }

    private List<int[]> parsePoints() {
        List<int[]> parsed = new ArrayList<>();
        for (String text : points) {
            String[] parts = text.split(",");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                int x = Integer.parseInt(parts[0].trim());
                int y = Integer.parseInt(parts[1].trim());
                if (x < 0 || y < 0) {
                    throw new NumberFormatException();
                }
                parsed.add(new int[] {x, y});
            } catch (NumberFormatException e) {
                throw new DanetException("--points wants X,Y pixel coordinates (whole numbers from 0), got '" + text + "'");
            }
        }
        return parsed;
    }
}
