package dev.danet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.danet.bench.AttentionBlocksStudy;
import dev.danet.bench.BenchSweep;
import dev.danet.bench.ModelBenchmark;
import dev.danet.bench.TrainingMemoryStudy;
import dev.danet.AtomicFiles;
import dev.danet.io.ModelLoader;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.TrainingMemory;
import dev.danet.nn.ModelConfig;
import dev.danet.nn.Network;
import dev.danet.nn.ResNetDepth;
import dev.danet.process.NativeAllocator;
import dev.danet.viz.ScalingPlot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Times inference and a training step of one model configuration; prints a table, writes JSON. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Time a model's inference (per phase) and training step: medians, spread, peak memory.",
            "",
            "Random weights and inputs of the given size (or --weights FILE). Each phase is timed after "
                    + "--warmup runs over --runs runs: backbone, PAM, CAM, the head's other layers and the final "
                    + "upsampling, plus the whole forward pass; for training: forward with the losses, backward "
                    + "and the SGD update. Peak memory is the process's resident set during the measured runs. "
                    + "Threads and position-attention memory are global options: ./danet --threads 2 "
                    + "--pam-memory plain bench ...",
            "",
            "Example: ./danet bench --backbone resnet50 --size 512 --mode both \\",
            "           --json bench.json"
        })
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Benchmark this model instead of a random one built from the options below.")
    Path weights;

    @Mixin
    ArchitectureOptions architecture;

    @Option(names = "--classes", defaultValue = "19", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--size", defaultValue = "512", paramLabel = "N|HxW[,...]",
            description = "Input size, or several separated by commas (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    /** What to time. */
    enum Mode { inference, train, both }

    @Option(names = "--mode", defaultValue = "inference", paramLabel = "inference|train|both",
            description = "What to time (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--pam-compare",
            description = "Run every size twice: with the whole position-attention map (plain) and in row blocks "
                    + "(lean, the 256 MB budget).")
    boolean pamCompare;

    @Option(names = "--train-memory-compare",
            description = "With --mode train: run every size's training step three ways, least memory first: lean "
                    + "(lean attention and a recomputed backbone), lean-attention, and plain (the whole attention map, "
                    + "autograd keeps everything, as PyTorch). Peak memory is best compared in separate processes "
                    + "(--train-memory): freed memory is not always given back to the system.")
    boolean trainMemoryCompare;

    @Option(names = "--train-memory-alternate",
            description = "Time training steps under lean, lean-attention and plain in one process, alternating "
                    + "one step of each per round (--warmup rounds, then --runs timed rounds), per size: the medians "
                    + "and their ratios to plain, fair on a busy machine. Peak memory: one process per setting "
                    + "(tools/train-memory-bench.sh).")
    boolean trainMemoryAlternate;

    @Option(names = "--fold-compare",
            description = "Per size, also alternate inference runs with batch norms folded into the convolutions and "
                    + "run apart, in one process (fairer than two runs on a noisy machine); print both medians and "
                    + "how far the outputs differ.")
    boolean foldCompare;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "With several sizes or --pam-compare: time and peak memory against input size.")
    Path plot;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<ModelBenchmark.Settings> settings = new ArrayList<>();
        for (String one : size.split(",")) {
            int[] hw = Sizes.parseSquareOrRectangle(one.trim(), "--size");
            settings.add(Flags.check(() -> new ModelBenchmark.Settings(hw[0], hw[1], batch, warmup, runs)));
        }
        ExecutionOptions execution = ExecutionFlags.of(spec);
        if (mode == Mode.train && !trainMemoryCompare && execution.trainingMemory().mapsLargeBuffers()) {
            // As `train` runs it (TrainingJob); --mode both keeps the inference setting for both, and
            // --train-memory-alternate switches it step by step (TrainingMemoryStudy).
            NativeAllocator.mapLargeBuffers(true);
        }
        if (trainMemoryAlternate) {
            return alternateTrainingSteps(settings, execution);
        }
        List<BenchSweep.Variant> variants = trainMemoryCompare ? trainingMemoryVariants(execution)
                : pamCompare ? AttentionBlocksStudy.variants(execution)
                : List.of(BenchSweep.Variant.asGiven(execution));
        BenchSweep.Plan plan = new BenchSweep.Plan(settings, mode != Mode.train, mode != Mode.inference, variants,
                foldCompare, pamCompare);
        BenchSweep.Report report;
        try (Network network = openNetwork(execution); StatusLine progress = new StatusLine()) {
            report = new BenchSweep(network, System.out, progress).run(plan);
        }
        List<ScalingPlot.Point> points = report.runs().stream().filter(r -> r.inference() != null)
                .map(r -> new ScalingPlot.Point(r.pam(), r.settings().height(), r.settings().width(),
                        r.inference().milliseconds().get("total").median() / 1e3, r.inference().peakResidentBytes()))
                .toList();
        if (plot != null && !points.isEmpty()) {
            ScalingPlot.write(plot, points);
            System.out.println("wrote " + plot);
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(json, out -> mapper.writeValue(out, report));
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private int alternateTrainingSteps(List<ModelBenchmark.Settings> settings, ExecutionOptions execution) {
        List<TrainingMemoryStudy.Result> results = new ArrayList<>();
        try (Network network = openNetwork(execution); StatusLine progress = new StatusLine()) {
            System.out.printf("%s; training steps alternating between settings, %d warm-up + %d timed rounds%n",
                    network.config().describe(), settings.get(0).warmup(), settings.get(0).runs());
            for (ModelBenchmark.Settings one : settings) {
                TrainingMemoryStudy.Result result = TrainingMemoryStudy.run(network, trainingMemoryVariants(execution),
                        one, progress::show);
                progress.clear();
                for (TrainingMemoryStudy.Side side : result.sides()) {
                    System.out.printf(java.util.Locale.ROOT, "%dx%d x %d, %-28s step median %9.1f ms (min %.1f, max %.1f)"
                            + "  %.2fx plain%n", one.height(), one.width(), one.batch(), side.variant(),
                            side.milliseconds().median(), side.milliseconds().min(), side.milliseconds().max(),
                            side.ratioToAnchor());
                }
                results.add(result);
            }
        }
        if (json != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            AtomicFiles.write(json, out -> mapper.writeValue(out, results));
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private static List<BenchSweep.Variant> trainingMemoryVariants(ExecutionOptions execution) {
        return List.of(
                new BenchSweep.Variant("auto / train lean", execution.withTrainingMemory(TrainingMemory.LEAN)),
                new BenchSweep.Variant("auto / train lean-attention",
                        execution.withTrainingMemory(TrainingMemory.LEAN_ATTENTION)),
                new BenchSweep.Variant("plain / train plain", execution
                        .withAttentionBlockBytes(ExecutionOptions.WHOLE_ATTENTION_MAP)
                        .withTrainingMemory(TrainingMemory.PLAIN)));
    }

    private Network openNetwork(ExecutionOptions execution) {
        return weights != null
                ? ModelLoader.load(weights, ModelLoader.Options.defaults().withExecution(execution), System.err)
                : Network.create(config(), execution);
    }

    /** The reference DANet-ResNet-50 (the paper's), changed by the architecture flags given. */
    private ModelConfig config() {
        return architecture.applyTo(Flags.check(() -> ModelConfig.danet(ResNetDepth.RESNET50, classes)));
    }
}
