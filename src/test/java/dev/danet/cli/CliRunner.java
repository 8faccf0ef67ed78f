package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process and captures what it prints. */
final class CliRunner {

    /** Exit code, stdout and stderr. */
    record Result(int code, String out, String err) {

        /** Exit 2 and a single stderr line "error: ...", containing the text, no stack trace. */
        void assertOneErrorLine(String mustContain) {
            assertEquals(2, code, err);
            String[] lines = err.strip().split("\n");
            assertEquals(1, lines.length, "exactly one line: " + err);
            assertTrue(lines[0].startsWith("error: ") && lines[0].contains(mustContain), err);
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
        }
    }

    private CliRunner() {}

    static Result run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
