package dev.danet.cli;

import dev.danet.data.BadSamples;
import dev.danet.data.SegmentationDataset;
import dev.danet.synth.SyntheticScenes;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that pick a dataset; without them, the built-in synthetic scenes (generated on first use). */
final class DataOptions {

    static final Path DEFAULT_SYNTHETIC = Path.of("data", "synthetic");

    @Option(names = "--dataset", paramLabel = "LAYOUT", defaultValue = "auto",
            description = "cityscapes, pascal-context, pascal-context-60, voc, ade20k, coco-stuff, coco-stuff-10k, folder,"
                    + " or auto (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Dataset folder. Default: the built-in synthetic scenes in data/synthetic (made when missing).")
    Path root;

    @Option(names = "--skip-bad",
            description = "Skip unusable samples and list them at the end, instead of stopping at the first.")
    boolean skipBad;

    BadSamples badSamples() {
        return new BadSamples(skipBad ? BadSamples.Policy.SKIP : BadSamples.Policy.FAIL);
    }

    /** Lists the samples a --skip-bad run left out, after its results (nothing when there were none). */
    static void printSkipped(BadSamples bad, PrintStream log) {
        List<String> problems = bad.problems();
        if (!problems.isEmpty()) {
            log.println("skipped " + problems.size() + " bad sample(s):");
            problems.forEach(p -> log.println("  " + p));
        }
    }

    /** Opens a split; the synthetic set is generated first when no folder was named. */
    SegmentationDataset open(String split, BadSamples bad, PrintStream log) {
        Path folder = root;
        String layoutId = layout;
        if (folder == null) {
            SyntheticScenes.Summary summary = SyntheticScenes.generate(DEFAULT_SYNTHETIC, SyntheticScenes.Options.defaults());
            log.println(summary);
            folder = DEFAULT_SYNTHETIC;
            layoutId = "cityscapes";
        }
        return SegmentationDataset.open(layoutId, folder, split, bad);
    }
}
