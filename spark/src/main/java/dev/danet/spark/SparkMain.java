package dev.danet.spark;

import dev.danet.cli.Launcher;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `danet spark`: the Spark jobs, embedded in local mode or under spark-submit; without a job, its usage (exit 2). */
@Command(name = "danet spark", mixinStandardHelpOptions = true,
        description = {
            "Segment and evaluate image collections on Apache Spark: embedded (local[*], nothing to install) or on a"
                    + " cluster with spark-submit (see docs/scale-out.md)."
        },
        subcommands = {SparkSegmentCommand.class, SparkEvalCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a job and returns the exit code, as `./danet` does (see {@link Launcher}). */
    public static int run(String... args) {
        return Launcher.run(new SparkMain(), args);
    }
}
