package dev.danet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import dev.danet.data.Augmentation;
import dev.danet.data.BadSamples;
import dev.danet.data.Batch;
import dev.danet.data.BatchLoader;
import dev.danet.data.SegmentationDataset;
import dev.danet.io.BackboneWeights;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.StateDictLoader;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.Network;
import dev.danet.nn.TrainingPass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The training loop: SGD with the reference's poly schedule and head learning-rate boost,
 * cross-entropy on every output, periodic validation, and atomic checkpoints that hold the
 * optimiser and data-stream state, so that a killed run resumes to the same result as an
 * uninterrupted one with the same seed.
 */
public final class Trainer {

    /** Written every checkpoint interval; resuming starts from it. */
    public static final String LAST = "last.danet";
    /** Written at the end: the trained model. */
    public static final String FINAL = "model.danet";
    public static final String LOG = "train-log.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome: where the model is and its last validation. */
    public record Result(Path model, int iterations, double seconds, Map<String, Double> validation) {}

    /** The run stopped on request after a step; its checkpoint holds that step. */
    public static final class Interrupted extends DanetException {
        public Interrupted(Path outDir, int iteration, int total) {
            super("interrupted after iteration " + iteration + " of " + total + "; " + outDir.resolve(LAST)
                    + " holds it, and the same command with --resume (the demo: the same command) continues");
        }
    }

    private Trainer() {}

    /**
     * Trains into outDir. With resume, continues the run whose checkpoint is there (its saved
     * configuration wins); without, outDir must not hold a run yet. The network runs with the given
     * execution options (they change memory and speed, not the numbers).
     */
    public static Result run(TrainConfig requested, ExecutionOptions execution, SegmentationDataset trainSet,
            Path outDir, boolean resume, BadSamples bad, Validation validation, TrainingListener listener) {
        Path last = outDir.resolve(LAST);
        TrainConfig config = requested;
        int start = 0;
        BatchLoader.Position position = new BatchLoader.Position(0, 0);
        if (resume) {
            if (!Files.exists(last)) {
                throw new DanetException(outDir + ": nothing to resume (no " + LAST + "); start without --resume");
            }
            JsonNode meta = ModelCheckpoint.readHeader(last).metadata();
            config = readConfig(last, meta.get("train_config"));
            start = meta.path("iteration").asInt();
            position = new BatchLoader.Position(meta.path("loader_epoch").asInt(), meta.path("loader_batch").asInt());
            listener.message("resuming " + last + " at iteration " + start + " of " + config.iterations());
        } else if (Files.exists(last) || Files.exists(outDir.resolve(FINAL))) {
            throw new DanetException(outDir + ": already holds a training run; pass --resume to continue it or pick another --out");
        }
        Engine.getInstance().setRandomSeed((int) config.seed());
        long begin = System.nanoTime();
        try (Network network = Network.create(config.model(), execution);
                TrainingLog log = new TrainingLog(outDir.resolve(LOG), start)) {
            Optimisation optimisation = Optimisation.of(network, config);
            Sgd sgd = optimisation.sgd();
            TrainingDiagnostics diagnostics = new TrainingDiagnostics(network, config, sgd);
            diagnostics.recall(log.entries());
            if (resume) {
                loadWeights(network, last);
                sgd.load(ModelCheckpoint.readState(last, network.manager()));
            } else {
                config.headInit().apply(network);
            }
            if (!resume && config.backboneInit() != null) {
                Path init = Path.of(config.backboneInit());
                StateDictLoader.load(network, BackboneWeights.read(init), StateDictLoader.Scope.BACKBONE, true,
                        init.toString());
                listener.message("backbone initialised from " + init);
            }
            Augmentation augmentation = new Augmentation(config.cropHeight(), config.cropWidth(), config.baseSize(), config.minScale(),
                    config.maxScale(), true);
            try (BatchLoader loader = new BatchLoader(trainSet, config.batchSize(), config.seed(), augmentation::apply,
                    bad, config.workers(), position)) {
                for (int iteration = start; iteration < config.iterations(); iteration++) {
                    // Dropout masks depend on (seed, iteration) only, so a resumed run draws the same ones.
                    Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + iteration));
                    long waitStart = System.nanoTime();
                    Batch batch = loader.next();
                    double waited = (System.nanoTime() - waitStart) / 1e9;
                    diagnostics.beforeStep(iteration, batch);
                    StepRecord record = step(network, optimisation, batch, iteration, waited, n -> { });
                    log.step(record);
                    TrainingDiagnostics.Line line = diagnostics.afterStep(iteration, record);
                    if (line != null) {
                        log.diagnostics(line);
                    }
                    listener.step(record);
                    int done = iteration + 1;
                    boolean end = done == config.iterations();
                    if (validation != null && !end && config.validateEvery() > 0 && done % config.validateEvery() == 0) {
                        validate(validation, network, done, log, listener);
                    }
                    boolean stop = !end && listener.stopRequested();
                    if (end || stop || done % config.checkpointEvery() == 0) {
                        saveCheckpoint(last, network, config, done, loader.position(), sgd);
                        if (!end) {
                            listener.checkpointed(outDir, log.entries());
                        }
                    }
                    if (stop) {
                        throw new Interrupted(outDir, done, config.iterations());
                    }
                }
            }
            // The last validation runs once the last checkpoint is on disk: if it fails (a bad image
            // without --skip-bad) no training is lost, and --resume comes straight back to it.
            Map<String, Double> lastValidation = Map.of();
            if (validation != null) {
                Optional<Map<String, Double>> logged = log.validationAt(config.iterations());
                lastValidation = logged.isPresent() ? logged.get()
                        : validate(validation, network, config.iterations(), log, listener);
            }
            listener.checkpointed(outDir, log.entries());
            Path model = outDir.resolve(FINAL);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("train_config", config);
            meta.put("iteration", config.iterations());
            meta.put("validation", lastValidation);
            meta.put("classes", trainSet.classes().names());
            meta.put("minutes", (System.nanoTime() - begin) / 6e10);
            ModelCheckpoint.save(model, network, meta);
            return new Result(model, config.iterations(), (System.nanoTime() - begin) / 1e9, lastValidation);
        }
    }

    private static Map<String, Double> validate(Validation validation, Network network, int iteration,
            TrainingLog log, TrainingListener listener) {
        Map<String, Double> metrics = validation.run(network);
        log.validation(iteration, metrics);
        listener.validated(iteration, metrics);
        return metrics;
    }

    /**
     * What a run steps with, built from its configuration: the loss over the model's outputs,
     * the optimiser (head parameters, everything outside pretrained.*, at the head multiplier),
     * the poly schedule and the gradient clip.
     */
    record Optimisation(SegmentationLoss loss, Sgd sgd, PolySchedule schedule, double maxGradNorm) {

        static Optimisation of(Network network, TrainConfig config) {
            Sgd sgd = new Sgd(network.manager(), network.parameters(), config.momentum(), config.weightDecay(),
                    name -> !name.startsWith("pretrained."), config.headLrMultiplier());
            return new Optimisation(new SegmentationLoss(config.lossWeights().byOutput(config.model())), sgd,
                    new PolySchedule(config.baseLr(), config.iterations(), config.power()), config.maxGradNorm());
        }
    }

    /**
     * One training step at the given (0-based) iteration: forward in training mode with every
     * output, the weighted loss, backward, then the update at the schedule's rate for that
     * iteration. afterBackward sees the network with its gradients before the update (and any
     * clipping); the training loop passes a no-op, the parity tests read the gradients there.
     */
    static StepRecord step(Network network, Optimisation optimisation, Batch batch, int iteration, double waited,
            Consumer<Network> afterBackward) {
        long t0 = System.nanoTime();
        double lr = optimisation.schedule().at(iteration);
        double totalLoss;
        Map<String, Double> terms = new LinkedHashMap<>();
        double gradNorm;
        try (NDManager scope = network.manager().newSubManager()) {
            NDArray images = scope.create(batch.images(), new Shape(batch.size(), 3, batch.height(), batch.width()))
                    .toType(network.dataType(), false);
            NDArray labels = scope.create(batch.labels(), new Shape(batch.size(), batch.height(), batch.width()));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                    TrainingPass pass = network.trainingPass(images)) {
                SegmentationLoss.Losses losses = optimisation.loss().computeReleasingOutputs(pass.outputs(), labels);
                pass.backward(collector, losses.total());
                totalLoss = value(losses.total());
                losses.terms().forEach((name, term) -> terms.put(name, value(term)));
            }
            afterBackward.accept(network);
            gradNorm = optimisation.sgd().step(lr, optimisation.maxGradNorm());
        }
        if (!Double.isFinite(totalLoss)) {
            throw new DanetException("training diverged at iteration " + (iteration + 1) + " (loss " + totalLoss
                    + "); lower --lr");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepRecord(iteration + 1, optimisation.schedule().totalIterations(), totalLoss, terms, lr, seconds,
                waited, batch.size() / (seconds + waited), gradNorm);
    }

    /** A scalar loss as a double, whatever the network's precision. */
    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    private static void saveCheckpoint(Path file, Network network, TrainConfig config, int iteration,
            BatchLoader.Position position, Sgd sgd) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("train_config", config);
        meta.put("iteration", iteration);
        meta.put("loader_epoch", position.epoch());
        meta.put("loader_batch", position.batch());
        ModelCheckpoint.save(file, network, meta, sgd.state());
    }

    private static void loadWeights(Network network, Path file) {
        StateDictLoader.load(network, ModelCheckpoint.readWeights(file), StateDictLoader.Scope.MODEL, true,
                file.toString());
    }

    /** The configuration of the run saved in outDir, for resuming it with the same data and settings. */
    public static TrainConfig savedConfig(Path outDir) {
        Path last = outDir.resolve(LAST);
        if (!Files.exists(last)) {
            throw new DanetException(outDir + ": nothing to resume (no " + LAST + "); start without --resume");
        }
        return readConfig(last, ModelCheckpoint.readHeader(last).metadata().get("train_config"));
    }

    static TrainConfig readConfig(Path file, JsonNode node) {
        try {
            return JSON.treeToValue(node, TrainConfig.class);
        } catch (Exception e) {
            throw new DanetException(file + ": checkpoint has no readable training configuration: " + e.getMessage(), e);
        }
    }
}
