package dev.danet.cli;

import dev.danet.nn.ConvolutionAlgorithm;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.TrainingMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The `danet` launcher: one command per capability. */
@Command(name = "danet",
        mixinStandardHelpOptions = true,
        version = "danet-java 0.1.0 (DJL 0.35.1, PyTorch 2.7.1 CPU)",
        description = {
            "Attention-based semantic segmentation on the JVM: DANet (Fu et al., CVPR 2019) and Attention "
                    + "to Scale (Chen et al., CVPR 2016) on DJL's PyTorch engine, reading PyTorch checkpoints.",
            "",
            "New here? `./danet demo` trains FCN and DANet on built-in synthetic scenes and writes its "
                    + "results to out/demo/; then `./danet serve` shows the trained DANet in a browser.",
            "Pretrained models for Cityscapes, ADE20K and VOC: see `./danet weights list`.",
            "Run `./danet <command> --help` for a command's options."
        },
        subcommands = {
            DemoCommand.class,
            WeightsCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            SegmentCommand.class,
            AttentionCommand.class,
            AttentionStatsCommand.class,
            ServeCommand.class,
            ScalesCommand.class,
            ScaleAblationCommand.class,
            BenchCommand.class,
            ScaleBenchCommand.class,
            DataCommand.class,
            ForwardCommand.class,
            InfoCommand.class,
            ConvertCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Option(names = "--threads", paramLabel = "N",
            description = "Intra-op threads for libtorch (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be at least 1");
        }
        // Read once when the engine starts, so it must be set before any tensor work.
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** --pam-memory's budget; null: auto. */
    private Long attentionBlockBytes;
    private boolean foldBatchNorms;

    @Option(names = "--pam-memory", paramLabel = "auto|plain|BYTES", defaultValue = "auto",
            description = "Position attention map: auto (computed in row blocks when the whole map would exceed "
                    + "256 MB), plain (always whole), or another budget such as 64m or 2g (default: ${DEFAULT-VALUE}).")
    void setPamMemory(String budget) {
        try {
            attentionBlockBytes = ExecutionFlags.attentionBlockBytes(budget);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--pam-memory must be auto, plain or a byte count like 64m, got '" + budget + "'");
        }
    }

    @Option(names = "--fold-batch-norm", defaultValue = "false",
            description = "In inference (eval, segment, serve, attention, forward, bench), fold each batch norm into "
                    + "its convolution: 2-7%% faster (256 to 1024 pixels), as accurate, but no longer equal to PyTorch's float32 "
                    + "outputs to 1e-6 (see docs/performance.md).")
    void setFoldBatchNorm(boolean on) {
        foldBatchNorms = on;
    }

    /** --conv-algorithm's choice; null: the command's own (direct for forward, else the library's). */
    private ConvolutionAlgorithm convolutionAlgorithm;

    @Option(names = "--conv-algorithm", paramLabel = "winograd|direct",
            description = "How the head's wide 3x3 convolutions (stride 1, no dilation, 512 input channels or more, "
                    + "maps up to 128x128) run in inference on the CPU (eval, segment, serve, attention, forward, "
                    + "bench): winograd (NNPACK's Winograd kernels inside libtorch, where the CPU has AVX2: a "
                    + "DANet-ResNet-50 about 20%% faster at 512x512, its output about as close to float64 as PyTorch's "
                    + "float32 one, but not PyTorch's float32 numbers) or direct (libtorch's own: PyTorch's float32 "
                    + "numbers to the last bits). Training always runs direct (default: winograd; direct for forward, "
                    + "which is there to compare with PyTorch).")
    void setConvAlgorithm(String id) {
        try {
            convolutionAlgorithm = ConvolutionAlgorithm.parse(id);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--conv-algorithm must be winograd or direct, got '" + id + "'");
        }
    }

    private TrainingMemory trainingMemory = ExecutionOptions.DEFAULTS.trainingMemory();

    @Option(names = "--train-memory", paramLabel = "lean-attention|lean|recompute-backbone|plain",
            defaultValue = "lean-attention",
            description = "What a training step keeps for its backward pass (train, demo, bench): lean-attention (where the "
                    + "attention map is computed in row blocks, its backward recomputes them instead of keeping them), "
                    + "lean (that, and the backbone's stem and residual units recomputed in the backward pass, large "
                    + "buffers mapped on their own so that freed memory leaves the process: a third of plain's memory at "
                    + "768x768, 1.2x its time), "
                    + "recompute-backbone (the backbone part of lean), or plain (autograd keeps everything). All give the same gradients "
                    + "(docs/performance.md) (default: ${DEFAULT-VALUE}).")
    void setTrainMemory(String id) {
        try {
            trainingMemory = TrainingMemory.parse(id.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--" + e.getMessage()
                    .replace("training memory", "train-memory"));
        }
    }

    /**
     * The options every network of this command line runs with (flags over properties, see
     * {@link ExecutionFlags}), for a command whose convolution algorithm, unless --conv-algorithm
     * names one, is commandDefault.
     */
    ExecutionOptions executionOptions(ConvolutionAlgorithm commandDefault) {
        return ExecutionFlags.resolve(attentionBlockBytes, foldBatchNorms).withTrainingMemory(trainingMemory)
                .withConvolutionAlgorithm(convolutionAlgorithm != null ? convolutionAlgorithm : commandDefault);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (see {@link Launcher}). */
    public static int run(String... args) {
        return Launcher.run(new Main(), args);
    }
}
