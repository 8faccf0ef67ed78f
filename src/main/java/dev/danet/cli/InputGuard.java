package dev.danet.cli;

import dev.danet.DanetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Refuses, before anything is written, a command whose outputs would replace one of its inputs
 * (e.g. `segment a.png a_overlay.png --out .`, where a.png's overlay is a_overlay.png). Paths are
 * compared as written (absolute, normalised) and, for files that exist, by identity, so links
 * and different spellings of one file are caught too.
 */
final class InputGuard {

    private final Map<Path, Path> inputs = new HashMap<>();

    private InputGuard(Collection<Path> files) {
        for (Path file : files) {
            inputs.put(file.toAbsolutePath().normalize(), file);
            real(file).ifPresent(real -> inputs.put(real, file));
        }
    }

    /** The guard of these input files. */
    static InputGuard of(Collection<Path> inputs) {
        return new InputGuard(inputs);
    }

    /** Fails when the output is one of the inputs; what names the output's role in the message. */
    void refuse(Path output, String what) {
        Path input = inputs.get(output.toAbsolutePath().normalize());
        if (input == null) {
            input = real(output).map(inputs::get).orElse(null);
        }
        if (input != null) {
            throw new DanetException(input + ": is an input, and " + what + " would overwrite it; pick another --out");
        }
    }

    private static java.util.Optional<Path> real(Path file) {
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(file.toRealPath());
        } catch (IOException unreadable) {
            return java.util.Optional.empty(); // compared by name only
        }
    }
}
