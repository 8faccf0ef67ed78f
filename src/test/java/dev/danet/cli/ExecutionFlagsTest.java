package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import dev.danet.nn.ConvolutionAlgorithm;
import dev.danet.nn.ExecutionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The global flags and the system properties become the options networks run with. */
class ExecutionFlagsTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(ExecutionFlags.BLOCK_BYTES_PROPERTY);
        System.clearProperty(ExecutionFlags.RELEASE_PROPERTY);
    }

    @Test
    void withoutFlagsOrPropertiesTheOptionsAreTheLibrarysDefaults() {
        assertEquals(ExecutionOptions.DEFAULTS, ExecutionFlags.resolve(null, false));
    }

    @Test
    void thePropertiesSetTheAttentionBudgetAndTheRelease() {
        System.setProperty(ExecutionFlags.BLOCK_BYTES_PROPERTY, "2k");
        assertEquals(2048, ExecutionFlags.resolve(null, false).attentionBlockBytes());
        System.setProperty(ExecutionFlags.BLOCK_BYTES_PROPERTY, "512m");
        assertEquals(512L << 20, ExecutionFlags.resolve(null, false).attentionBlockBytes());
        System.setProperty(ExecutionFlags.BLOCK_BYTES_PROPERTY, "lots");
        DanetException bad = assertThrows(DanetException.class, () -> ExecutionFlags.resolve(null, false));
        assertTrue(bad.getMessage().contains(ExecutionFlags.BLOCK_BYTES_PROPERTY), bad.getMessage());

        System.setProperty(ExecutionFlags.RELEASE_PROPERTY, "false");
        ExecutionOptions options = ExecutionFlags.resolve(ExecutionOptions.WHOLE_ATTENTION_MAP, false);
        assertFalse(options.releaseIntermediates());
        assertFalse(options.foldBatchNorms());
    }

    @Test
    void pamMemoryNamesABudgetThatWinsOverTheProperty() {
        assertNull(ExecutionFlags.attentionBlockBytes("auto"));
        assertEquals(ExecutionOptions.WHOLE_ATTENTION_MAP, ExecutionFlags.attentionBlockBytes("plain"));
        assertEquals(64L << 20, ExecutionFlags.attentionBlockBytes("64m"));
        assertEquals(2L << 30, ExecutionFlags.attentionBlockBytes(" 2G "));
        assertThrows(IllegalArgumentException.class, () -> ExecutionFlags.attentionBlockBytes("lots"));
        assertThrows(IllegalArgumentException.class, () -> ExecutionFlags.attentionBlockBytes("0"));

        System.setProperty(ExecutionFlags.BLOCK_BYTES_PROPERTY, "2k");
        assertEquals(64L << 20, ExecutionFlags.resolve(64L << 20, false).attentionBlockBytes());
        assertTrue(ExecutionFlags.resolve(null, true).foldBatchNorms());
    }

    @Test
    void aBadPamMemoryIsAUsageErrorThatSaysWhatItTakes() {
        CliRunner.Result r = CliRunner.run("--pam-memory", "lots", "info", "--help");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("--pam-memory must be auto, plain or a byte count like 64m"), r.err());
    }

    /** The options ExecutionFlags gives that subcommand of this command line. */
    private static ExecutionOptions optionsOf(String command, String... args) {
        CommandLine line = new CommandLine(new Main());
        line.parseArgs(args);
        return ExecutionFlags.of(line.getSubcommands().get(command).getCommandSpec());
    }

    @Test
    void convAlgorithmChoosesHowThreeByThreeConvolutionsRunAndABadOneIsAUsageError() {
        assertEquals(ConvolutionAlgorithm.DIRECT,
                optionsOf("info", "--conv-algorithm", "Direct", "info", "--help").convolutionAlgorithm());
        assertEquals(ConvolutionAlgorithm.WINOGRAD, optionsOf("info", "info", "--help").convolutionAlgorithm());
        // forward compares with PyTorch: direct unless asked otherwise.
        assertEquals(ConvolutionAlgorithm.DIRECT, optionsOf("forward", "forward", "--help").convolutionAlgorithm());
        assertEquals(ConvolutionAlgorithm.WINOGRAD,
                optionsOf("forward", "--conv-algorithm", "winograd", "forward", "--help").convolutionAlgorithm());

        CliRunner.Result r = CliRunner.run("--conv-algorithm", "fft", "info", "--help");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("--conv-algorithm must be winograd or direct, got 'fft'"), r.err());
    }
}
