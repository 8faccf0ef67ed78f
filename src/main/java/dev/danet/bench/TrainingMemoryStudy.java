package dev.danet.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.danet.nn.Network;
import dev.danet.process.NativeAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Training-step time under several {@link BenchSweep.Variant}s (training-memory settings) of one
 * network: the steps alternate, one of each setting in turn, on the same batch, so that every
 * setting sees the same machine (its load drifts on a busy host; separate runs would compare the
 * drift). Peak memory is not taken here: freed memory is not always given back to the system, so
 * it is measured per setting in a process of its own.
 */
public final class TrainingMemoryStudy {

    /** One setting's step times, and its median's ratio to the last setting's (the anchor). */
    public record Side(String variant, TimingSummary milliseconds, double ratioToAnchor) {}

    /** Every setting, in the order given; the last is the anchor. */
    public record Result(int height, int width, int batch, int rounds, List<Side> sides) {}

    private TrainingMemoryStudy() {}

    /** settings.warmup() untimed then settings.runs() timed rounds, each a step of every variant in turn. */
    public static Result run(Network network, List<BenchSweep.Variant> variants, ModelBenchmark.Settings settings,
            Consumer<String> progress) {
        int n = variants.size();
        double[][] times = new double[n][settings.runs()];
        List<Network> networks = new ArrayList<>();
        try (NDManager scope = network.manager().newSubManager()) {
            for (BenchSweep.Variant variant : variants) {
                networks.add(network.withOptions(variant.options()).setInferenceOnly(false));
            }
            NDArray images = StudyInput.of(network, scope, settings);
            NDArray labels = scope.randomInteger(0, network.config().classes(),
                    new Shape(settings.batch(), settings.height(), settings.width()), DataType.INT32);
            List<ModelBenchmark.TrainingStep> steps = networks.stream().map(ModelBenchmark.TrainingStep::new).toList();
            int rounds = settings.warmup() + settings.runs();
            for (int round = 0; round < rounds; round++) {
                for (int side = 0; side < n; side++) {
                    progress.accept(String.format("training steps at %dx%d x %d, alternating: round %d of %d, %s",
                            settings.height(), settings.width(), settings.batch(), round + 1, rounds,
                            variants.get(side).name()));
                    double ms;
                    // The batch is lent to the step's scope, so that what the step computes from it is
                    // freed with the scope; the batch returns to the study's scope.
                    try (NDManager stepScope = network.manager().newSubManager()) {
                        // Each setting's step with its own allocator setting, as `train` would run it.
                        NativeAllocator.mapLargeBuffers(variants.get(side).options().trainingMemory().mapsLargeBuffers());
                        images.tempAttach(stepScope);
                        labels.tempAttach(stepScope);
                        ms = steps.get(side).run(images, labels).get("total");
                    }
                    if (round >= settings.warmup()) {
                        times[side][round - settings.warmup()] = ms;
                    }
                }
            }
        } finally {
            networks.forEach(Network::close);
        }
        double anchor = TimingSummary.of(times[n - 1]).median();
        List<Side> sides = new ArrayList<>();
        for (int side = 0; side < n; side++) {
            TimingSummary summary = TimingSummary.of(times[side]);
            sides.add(new Side(variants.get(side).name(), summary, summary.median() / anchor));
        }
        return new Result(settings.height(), settings.width(), settings.batch(), settings.runs(), sides);
    }
}
