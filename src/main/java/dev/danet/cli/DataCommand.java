package dev.danet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Dataset tools: the parent of `data synth`, `data benchmarks`, `data check` and `data bench`. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = "Make the synthetic scene set or a context benchmark, check a dataset, or measure data-loading speed.",
        subcommands = {DataSynthCommand.class, DataBenchmarksCommand.class, DataCheckCommand.class,
            DataBenchCommand.class})
final class DataCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
