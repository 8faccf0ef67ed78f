package dev.danet.cli;

import dev.danet.data.BadSamples;
import dev.danet.data.ClassCensus;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `data check`: decodes a split, prints its class census and its bad samples. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Decode every sample of a split and report its classes and any bad samples.",
            "Exits 2 when a sample is bad (with --skip-bad: lists them all first)."})
final class DataCheckCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "train", description = "Split (default: ${DEFAULT-VALUE}).")
    String split;

    @Override
    public Integer call() {
        BadSamples bad = data.badSamples();
        ClassCensus.take(data.open(split, bad, System.err), bad).print(System.out);
        List<String> problems = bad.problems();
        problems.forEach(p -> System.out.println("bad sample: " + p));
        return problems.isEmpty() ? 0 : 2;
    }
}
