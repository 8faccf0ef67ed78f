package dev.danet.spark;

import dev.danet.DanetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `danet spark`: the Spark jobs, embedded in local mode or under spark-submit. */
@Command(name = "danet spark", mixinStandardHelpOptions = true,
        description = {
            "Segment and evaluate image collections on Apache Spark: embedded (local[*], nothing to install) or on a"
                    + " cluster with spark-submit (see docs/scale-out.md)."
        },
        subcommands = {SparkSegmentCommand.class, SparkEvalCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a job and returns the exit code: 0 ok, 1 usage error, 2 a user-fixable error. */
    public static int run(String... args) {
        System.setProperty("ai.djl.offline", "true");
        CommandLine cli = new CommandLine(new SparkMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            DanetException cause = userError(e);
            if (cause != null) {
                cmd.getErr().println("error: " + cause.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** The user's error behind an exception, also when Spark wrapped it (a task's failure). */
    private static DanetException userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DanetException d) {
                return d;
            }
        }
        return null;
    }
}
