package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.synth.BenchmarkMontage;
import dev.danet.synth.ContextBenchmark;
import dev.danet.synth.SyntheticClass;
import dev.danet.synth.SyntheticScenes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `data benchmarks`: lists the context benchmarks and, if asked, draws a picture of each. */
@Command(name = "benchmarks", mixinStandardHelpOptions = true,
        description = {"List the context benchmarks: what decides their classes and how far away it is.",
            "With --pictures DIR, also draw one picture per benchmark (two twin pairs of train, photo and labels)."})
final class DataBenchmarksCommand implements Callable<Integer> {

    @Option(names = "--pictures", paramLabel = "DIR",
            description = "Write DIR/context-NAME.png for every benchmark (docs/images holds the committed ones).")
    Path pictures;

    @Option(names = "--pairs", defaultValue = "0,1", split = ",", paramLabel = "K,K",
            description = "Twin pairs to draw (pair K is train images 2K and 2K+1; default: ${DEFAULT-VALUE}).")
    List<Integer> pairs;

    @Override
    public Integer call() {
        for (ContextBenchmark b : ContextBenchmark.values()) {
            System.out.printf("%-8s %s%n", b.id(), b.kind());
            System.out.printf("         rule: %s%n", b.rule());
            System.out.printf("         cue:  %s%n", b.cue());
            System.out.printf("         context-decided classes: %s%n", b.contextClasses().isEmpty() ? "none"
                    : String.join(", ", b.contextClasses().stream().map(SyntheticClass::cityscapesName).toList()));
        }
        System.out.println("make one: ./danet data synth --benchmark NAME [--out DIR] (default data/benchmarks/NAME)");
        if (pictures != null) {
            drawPictures();
        }
        return 0;
    }

    private void drawPictures() {
        SyntheticScenes.Options scenes = SyntheticScenes.Options.defaults();
        if (pairs.stream().anyMatch(k -> k < 0 || 2 * k + 1 >= scenes.trainImages())) {
            throw new DanetException("--pairs must be in 0.." + (scenes.trainImages() / 2 - 1) + ", got " + pairs);
        }
        for (ContextBenchmark b : ContextBenchmark.values()) {
            Path file = pictures.resolve("context-" + b.id() + ".png");
            BenchmarkMontage.write(file, b, scenes, "train", pairs);
            System.out.println("wrote " + file);
        }
    }
}
