package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.nn.ConvolutionAlgorithm;
import dev.danet.nn.ExecutionOptions;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where the CLI's {@link ExecutionOptions} come from: the global flags {@code --pam-memory} and
 * {@code --fold-batch-norm} ({@link Main}), over the system properties below (set through
 * DANET_JAVA_OPTS), over the defaults. The only place that reads them; commands pass the result
 * to what builds or loads their networks.
 */
final class ExecutionFlags {

    /** Position attention's map budget in bytes (suffix k, m or g allowed); --pam-memory wins. */
    static final String BLOCK_BYTES_PROPERTY = "danet.pam.blockBytes";
    /** {@code false} keeps every intermediate (to measure what releasing them saves). */
    static final String RELEASE_PROPERTY = "danet.releaseIntermediates";

    private ExecutionFlags() {}

    /**
     * The options for the global flags: --pam-memory's budget (null: auto, the property's or the
     * default) and --fold-batch-norm, with the release property.
     *
     * @throws DanetException for a property that is not a valid value
     */
    static ExecutionOptions resolve(Long attentionBlockBytes, boolean foldBatchNorms) {
        return ExecutionOptions.DEFAULTS
                .withAttentionBlockBytes(attentionBlockBytes != null ? attentionBlockBytes : propertyBlockBytes())
                .withReleaseIntermediates(!"false".equalsIgnoreCase(System.getProperty(RELEASE_PROPERTY)))
                .withFoldBatchNorms(foldBatchNorms);
    }

    /**
     * The budget --pam-memory names: null for auto (the property's, else 256 MB), the whole map
     * for plain, or a byte count.
     *
     * @throws IllegalArgumentException for anything else
     */
    static Long attentionBlockBytes(String flag) {
        return switch (flag.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "plain" -> ExecutionOptions.WHOLE_ATTENTION_MAP;
            default -> parseBytes(flag);
        };
    }

    private static long propertyBlockBytes() {
        String property = System.getProperty(BLOCK_BYTES_PROPERTY);
        if (property == null || property.isBlank()) {
            return ExecutionOptions.DEFAULT_ATTENTION_BLOCK_BYTES;
        }
        try {
            return parseBytes(property);
        } catch (IllegalArgumentException e) {
            throw new DanetException("-D" + BLOCK_BYTES_PROPERTY + " " + e.getMessage());
        }
    }

    /** A positive byte count with an optional suffix k, m or g (powers of 1024). */
    static long parseBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1).trim();
        }
        try {
            long value = Long.parseLong(t) * unit;
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "must be a positive byte count (suffix k, m or g allowed): " + text, e);
        }
    }

    /**
     * The options of the command line that command belongs to: what {@link Main}'s flags set, or
     * the properties' alone where the command runs without Main (a test building one by itself).
     * forward, whose job is to compare with PyTorch, runs libtorch's own convolutions unless
     * --conv-algorithm says otherwise.
     */
    static ExecutionOptions of(CommandSpec command) {
        ConvolutionAlgorithm commandDefault = command != null && command.userObject() instanceof ForwardCommand
                ? ConvolutionAlgorithm.DIRECT : ExecutionOptions.DEFAULTS.convolutionAlgorithm();
        return command != null && command.root().userObject() instanceof Main main
                ? main.executionOptions(commandDefault)
                : resolve(null, false).withConvolutionAlgorithm(commandDefault);
    }
}
