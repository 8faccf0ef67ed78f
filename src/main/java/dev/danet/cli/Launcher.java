package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.train.Trainer;
import picocli.CommandLine;

/**
 * Runs a danet command line to its exit code, the same way for every launcher (`./danet`,
 * `./danet spark`): 0 ok, 2 for a bad flag (picocli's usage error) or a user-fixable error, 130
 * when a training run was stopped by Ctrl-C. A user's error is one line, "error: " and the
 * message naming the file and the fix, also when something else wrapped it (a Spark task's
 * failure); anything else is a bug and keeps its stack trace.
 */
public final class Launcher {

    /** Exit code of a {@link DanetException}: something the user can fix. */
    public static final int USER_ERROR = 2;
    /** Exit code of a training run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private Launcher() {}

    /** Parses args against the command (a picocli {@code @Command}), runs it and returns the exit code. */
    public static int run(Object command, String... args) {
        // Nothing is downloaded behind the user's back: weights and natives come from files they name.
        System.setProperty("ai.djl.offline", "true");
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            DanetException cause = userError(e);
            if (cause instanceof Trainer.Interrupted) {
                cmd.getErr().println(cause.getMessage());
                return INTERRUPTED;
            }
            if (cause != null) {
                cmd.getErr().println("error: " + cause.getMessage());
                return USER_ERROR;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The user's error behind an exception, or null when there is none. */
    static DanetException userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DanetException d) {
                return d;
            }
        }
        return null;
    }
}
