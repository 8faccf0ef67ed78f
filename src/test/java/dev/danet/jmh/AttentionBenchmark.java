package dev.danet.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.danet.nn.BilinearResize;
import dev.danet.nn.ChannelAttention;
import dev.danet.nn.ExecutionOptions;
import dev.danet.nn.PositionAttention;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The head's blocks on their own, at DANet-ResNet's head width (512 channels) and the feature
 * size of a 512x512 input (64x64): PAM with the whole map and in row blocks, CAM, and the
 * final align-corners upsampling of 19 score maps. Run with tools/jmh.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true"})
public class AttentionBenchmark {

    @Param({"64"})
    int side;

    @Param({"512"})
    int channels;

    private NDManager manager;
    private PositionAttention pam;
    private ChannelAttention cam;
    private ParameterStore ps;
    private ParameterStore wholeMap;
    private ParameterStore rowBlocksOf16MB;
    private NDArray features;
    private NDArray scores;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        Shape shape = new Shape(1, channels, side, side);
        pam = new PositionAttention(channels);
        pam.initialize(manager, DataType.FLOAT32, shape);
        cam = new ChannelAttention();
        cam.initialize(manager, DataType.FLOAT32, shape);
        ps = new ParameterStore(manager, false);
        wholeMap = ExecutionOptions.DEFAULTS.withAttentionBlockBytes(ExecutionOptions.WHOLE_ATTENTION_MAP)
                .newParameterStore(manager);
        rowBlocksOf16MB = ExecutionOptions.DEFAULTS.withAttentionBlockBytes(16L << 20).newParameterStore(manager);
        features = manager.randomNormal(shape);
        scores = manager.randomNormal(new Shape(1, 19, side, side));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    private NDArray run(ai.djl.nn.Block block, ParameterStore store) {
        try (NDManager scope = manager.newSubManager()) {
            features.tempAttach(scope);
            NDArray out = block.forward(store, new NDList(features), false).singletonOrThrow();
            return out.sum(); // closed with the scope; returning it keeps the work alive for JMH
        }
    }

    @Benchmark
    public NDArray pamWholeMap() {
        return run(pam, wholeMap);
    }

    @Benchmark
    public NDArray pamRowBlocksOf16MB() {
        return run(pam, rowBlocksOf16MB);
    }

    @Benchmark
    public NDArray cam() {
        return run(cam, ps);
    }

    @Benchmark
    public NDArray upsampleScoresEightTimes() {
        try (NDManager scope = manager.newSubManager()) {
            scores.tempAttach(scope);
            return BilinearResize.alignCorners(scores, 8L * side, 8L * side).sum();
        }
    }
}
