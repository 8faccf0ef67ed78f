package dev.danet.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.Network;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code danet bench} measures on one network: at each input size, inference and a
 * training step under each execution variant (the network's own options, or the whole attention
 * map and row blocks side by side), then the studies asked for at that size. Prints a table per
 * measurement as it goes and returns the report that --json writes.
 */
public final class BenchSweep {

    /** Execution options under the name tables and the report give them ("PAM plain"). */
    public record Variant(String name, ExecutionOptions options) {

        /** The options as they are, named for their attention budget: plain (whole map) or auto. */
        public static Variant asGiven(ExecutionOptions options) {
            return new Variant(options.attentionBlockBytes() == ExecutionOptions.WHOLE_ATTENTION_MAP
                    ? AttentionBlocksStudy.PLAIN : "auto", options);
        }
    }

    /**
     * What to run.
     *
     * @param sizes each input size, with batch, warm-up and timed runs
     * @param inference time inference, per phase
     * @param trainingStep time a training step, per phase
     * @param variants how the network runs at each size, in order
     * @param foldingStudy per size, also run {@link FoldingStudy}
     * @param attentionStudy per size, also run {@link AttentionBlocksStudy} (with inference only)
     */
    public record Plan(List<ModelBenchmark.Settings> sizes, boolean inference, boolean trainingStep,
            List<Variant> variants, boolean foldingStudy, boolean attentionStudy) {}

    /**
     * One size under one variant; the studies of a size are recorded with its last variant. Absent
     * parts are left out of the JSON.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(ModelBenchmark.Settings settings, String pam, ModelBenchmark.Result inference,
            Double backboneGflop, Double backboneGflops, ModelBenchmark.Result trainingStep,
            FoldingStudy.Result foldedVsSeparate, OutputDifference leanVsPlain) {

        Run withStudies(FoldingStudy.Result folding, OutputDifference agreement) {
            return new Run(settings, pam, inference, backboneGflop, backboneGflops, trainingStep, folding, agreement);
        }
    }

    /** Everything the sweep found, as --json writes it. */
    public record Report(String model, long parameters, Map<String, Object> environment, double gemmPeakGflops,
            List<Run> runs) {}

    /** A one-line status display that the sweep updates while it runs, and clears before it prints. */
    public interface Progress {
        void show(String status);

        void clear();
    }

    private final Network network;
    private final PrintStream out;
    private final Progress progress;

    public BenchSweep(Network network, PrintStream out, Progress progress) {
        this.network = network;
        this.out = out;
        this.progress = progress;
    }

    public Report run(Plan plan) {
        double gemm = GemmPeak.gigaflops(network.manager(), 2048, 5);
        ModelBenchmark.Settings first = plan.sizes().get(0);
        out.printf("%s, %,d parameters; %d threads, %d warm-up + %d timed runs%n", network.config().describe(),
                network.parameterCount(), Integer.getInteger("ai.djl.pytorch.num_threads", 0), first.warmup(),
                first.runs());
        out.printf("GEMM peak (libtorch, 2048x2048 float32): %.1f GFLOP/s%n", gemm);
        List<Run> runs = new ArrayList<>();
        for (ModelBenchmark.Settings settings : plan.sizes()) {
            for (Variant variant : plan.variants()) {
                runs.add(measure(plan, settings, variant, gemm));
            }
            FoldingStudy.Result folding = plan.foldingStudy() ? foldingStudy(settings) : null;
            OutputDifference agreement = plan.attentionStudy() && plan.inference() ? attentionStudy(settings) : null;
            if (folding != null || agreement != null) {
                runs.set(runs.size() - 1, runs.get(runs.size() - 1).withStudies(folding, agreement));
            }
        }
        return new Report(network.config().describe(), network.parameterCount(), Environment.describe(), gemm, runs);
    }

    private Run measure(Plan plan, ModelBenchmark.Settings settings, Variant variant, double gemm) {
        String title = String.format("%dx%d x %d, PAM %s", settings.height(), settings.width(), settings.batch(),
                variant.name());
        ModelBenchmark.Result inference = null;
        Double gflop = null;
        Double rate = null;
        ModelBenchmark.Result step = null;
        try (Network run = network.withOptions(variant.options())) {
            ModelBenchmark bench = new ModelBenchmark(run, settings);
            if (plan.inference()) {
                inference = bench.inference(progress::show);
                progress.clear();
                gflop = BackboneFlops.of(network.config(), settings.batch(), settings.height(), settings.width()) / 1e9;
                rate = gflop / (inference.milliseconds().get("backbone").median() / 1e3);
                print("inference, " + title, inference, settings.batch());
                out.printf("backbone: %.1f GFLOP in the convolutions, %.1f GFLOP/s = %.0f%% of the GEMM peak%n",
                        gflop, rate, 100 * rate / gemm);
            }
            if (plan.trainingStep()) {
                step = bench.trainingStep(progress::show);
                progress.clear();
                print("training step, " + title, step, settings.batch());
            }
        }
        return new Run(settings, variant.name(), inference, gflop, rate, step, null, null);
    }

    private FoldingStudy.Result foldingStudy(ModelBenchmark.Settings settings) {
        FoldingStudy.Result folding = FoldingStudy.run(network, settings, progress::show);
        progress.clear();
        out.printf("batch norms folded / separate at %dx%d: median %.1f / %.1f ms = %.3f (alternating, %d runs each);"
                + " outputs: relative L2 %.2e%n", settings.height(), settings.width(), folding.foldedMedianMs(),
                folding.separateMedianMs(), folding.ratio(), settings.runs(), folding.relativeL2());
        return folding;
    }

    private OutputDifference attentionStudy(ModelBenchmark.Settings settings) {
        OutputDifference agreement = AttentionBlocksStudy.run(network, settings);
        out.printf("lean vs plain output at %dx%d: relative L2 %.2e, max |difference| %.2e%n", settings.height(),
                settings.width(), agreement.relativeL2(), agreement.maxAbsDifference());
        return agreement;
    }

    private void print(String title, ModelBenchmark.Result r, int batch) {
        out.printf("%n%s (ms)%n%-22s %9s %9s %9s %9s %9s%n", title, "phase", "median", "min", "p25", "p75", "max");
        for (Map.Entry<String, TimingSummary> e : r.milliseconds().entrySet()) {
            TimingSummary s = e.getValue();
            out.printf("%-22s %9.1f %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), s.median(), s.min(), s.p25(), s.p75(),
                    s.max());
        }
        TimingSummary total = r.milliseconds().get("total");
        out.printf("%.2f images/s; peak resident memory %s (%s before the runs)%n",
                batch * 1000.0 / total.median(), megabytes(r.peakResidentBytes()), megabytes(r.residentBeforeBytes()));
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "n/a" : String.format("%.0f MB", bytes / 1e6);
    }
}
