package dev.danet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment the `danet` launcher gives its JVM (its `export NAME="${NAME-default}"` lines:
 * OpenMP's wait policy, glibc's allocator settings), read from the launcher itself, for tests
 * that start a JVM as the launcher would.
 */
public final class LauncherEnvironment {

    private static final Pattern EXPORT = Pattern.compile("(?m)^export (\\w+)=\"\\$\\{\\1:?-([^}]*)}\"$");

    private LauncherEnvironment() {}

    /** Every variable the launcher exports with a default, and that default. */
    public static Map<String, String> defaults() {
        String launcher;
        try {
            launcher = Files.readString(Path.of("danet"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher m = EXPORT.matcher(launcher);
        while (m.find()) {
            variables.put(m.group(1), m.group(2));
        }
        if (!variables.containsKey("GLIBC_TUNABLES") || !variables.containsKey("OMP_WAIT_POLICY")) {
            throw new IllegalStateException("danet: expected defaults for GLIBC_TUNABLES and OMP_WAIT_POLICY, found "
                    + variables.keySet());
        }
        return variables;
    }

    /** Gives a process to be started the launcher's environment. */
    public static ProcessBuilder apply(ProcessBuilder builder) {
        builder.environment().putAll(defaults());
        return builder;
    }
}
