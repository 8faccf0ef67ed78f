package dev.danet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** Every launcher's exit codes: a user's error is one line and 2, also when wrapped; a bug keeps its trace. */
class LauncherTest {

    /** A command that fails with the given exception. */
    @Command(name = "fails")
    record Failing(RuntimeException failure) implements Runnable {
        @Override
        public void run() {
            throw failure;
        }
    }

    /** Exit code and stderr of running the command. */
    private record Run(int code, String err) {}

    private static Run run(Object command, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Launcher.run(command, args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aUserErrorWrappedByAnotherExceptionIsStillOneLineAndExitCode2() {
        // As a Spark job reports a task's DanetException: inside the scheduler's own exception.
        Run run = run(new Failing(new IllegalStateException("Job aborted",
                new RuntimeException("Task failed", new DanetException("photos/a.png: not an image")))));
        assertEquals(Launcher.USER_ERROR, run.code());
        assertEquals("error: photos/a.png: not an image", run.err().strip());
    }

    @Test
    void aBadFlagIsExitCode2AndABugKeepsItsStackTrace() {
        assertEquals(Launcher.USER_ERROR, run(new Failing(new IllegalStateException("x")), "--no-such-flag").code());
        Run bug = run(new Failing(new IllegalStateException("a bug")));
        assertNotEquals(0, bug.code());
        assertNotEquals(Launcher.USER_ERROR, bug.code());
        assertTrue(bug.err().contains("IllegalStateException: a bug") && bug.err().contains("\tat "), bug.err());
    }
}
