package dev.danet.cli;

import dev.danet.synth.ContextBenchmark;
import dev.danet.synth.ContextBenchmarks;
import dev.danet.synth.SyntheticScenes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `data synth`: writes the synthetic scene set or one context benchmark. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generate the built-in synthetic street scenes, or with --benchmark one of the held-out context "
                + "benchmarks (Cityscapes layout; list them with: ./danet data benchmarks).",
            "Deterministic for a seed; skipped when the folder already holds the same set."})
final class DataSynthCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write (default: data/synthetic, or data/benchmarks/NAME with --benchmark).")
    Path out;

    @Option(names = "--benchmark", paramLabel = "NAME",
            description = "A context benchmark instead of the built-in scenes: weather, sign, pairing, control or scale.")
    String benchmark;

    @Option(names = "--train", paramLabel = "N", description = "Training images (default: 300).")
    Integer train;

    @Option(names = "--val", paramLabel = "N", description = "Validation images (default: 60).")
    Integer val;

    @Option(names = "--size", paramLabel = "HxW", description = "Image size (default: 128x256).")
    String size;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: 1).")
    Long seed;

    @Override
    public Integer call() {
        SyntheticScenes.Options options = options();
        if (benchmark == null) {
            System.out.println(SyntheticScenes.generate(out != null ? out : DataOptions.DEFAULT_SYNTHETIC, options));
            return 0;
        }
        ContextBenchmark b = ContextBenchmark.parse(benchmark);
        System.out.println(ContextBenchmarks.generate(out != null ? out : ContextBenchmarks.defaultRoot(b), b, options));
        return 0;
    }

    /** The set's options from the flags, the defaults where a flag is absent. */
    private SyntheticScenes.Options options() {
        SyntheticScenes.Options d = SyntheticScenes.Options.defaults();
        int[] hw = size == null ? new int[] {d.height(), d.width()} : Sizes.parse(size, "--size");
        return Flags.check(() -> new SyntheticScenes.Options(train != null ? train : d.trainImages(),
                val != null ? val : d.valImages(), hw[0], hw[1], seed != null ? seed : d.seed()));
    }
}
