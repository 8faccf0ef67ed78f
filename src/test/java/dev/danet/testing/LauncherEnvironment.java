package dev.danet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The allocator settings the `danet` launcher gives its JVM, read from the launcher itself, for tests that start a JVM. */
public final class LauncherEnvironment {

    private static final Pattern TUNABLES = Pattern.compile("export GLIBC_TUNABLES=\"\\$\\{GLIBC_TUNABLES-([^}]*)}\"");

    private LauncherEnvironment() {}

    /** The launcher's default GLIBC_TUNABLES. */
    public static String glibcTunables() {
        try {
            Matcher m = TUNABLES.matcher(Files.readString(Path.of("danet"), StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalStateException("danet: no GLIBC_TUNABLES default found");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives a process to be started the launcher's GLIBC_TUNABLES. */
    public static ProcessBuilder apply(ProcessBuilder builder) {
        builder.environment().put("GLIBC_TUNABLES", glibcTunables());
        return builder;
    }
}
