package dev.danet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.danet.DanetException;
import dev.danet.weights.CatalogueEntry;
import dev.danet.weights.Mirror;
import dev.danet.weights.ResumableDownload;
import dev.danet.weights.WeightsCatalogue;
import dev.danet.weights.WeightsInstaller;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The catalogue of public checkpoints: list it, get one as a ready .danet file. */
@Command(name = "weights",
        mixinStandardHelpOptions = true,
        description = {
            "Public pretrained models: list them, and download one as a checkpoint ready for segment, eval and serve.",
            "",
            "Example: ./danet weights list",
            "         ./danet weights get mmseg-danet-r50-d8-cityscapes-512x1024-40k",
            "         ./danet segment photo.jpg --out out/ \\",
            "           --weights weights/mmseg-danet-r50-d8-cityscapes-512x1024-40k.danet",
            "",
            "See docs/weights.md for every model's source, published mIoU and test recipe."
        },
        subcommands = {WeightsCommand.ListCommand.class, WeightsCommand.GetCommand.class})
final class WeightsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Which catalogue: the built-in one, or (hidden, for tests and private lists) another file. */
    static final class CatalogueOption {
        @Option(names = "--catalogue", hidden = true, paramLabel = "FILE",
                description = "A catalogue file of the built-in one's format instead of the built-in list.")
        Path file;

        WeightsCatalogue load() {
            return file == null ? WeightsCatalogue.builtIn() : WeightsCatalogue.read(file);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List the known public checkpoints: dataset, classes, published validation mIoU"
                    + " (single scale / multi-scale + flip), the test recipe behind it, file size where known.",
                "Nothing is downloaded.", "", "Example: ./danet weights list --json"})
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        CatalogueOption catalogue;

        @Option(names = "--json", description = "Print the catalogue entries as JSON, every field included.")
        boolean json;

        @Override
        public Integer call() {
            WeightsCatalogue list = catalogue.load();
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                try {
                    System.out.println(mapper.writeValueAsString(list.entries()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
                return 0;
            }
            int width = list.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4);
            String row = "%-" + width + "s  %-10s  %7s  %-13s  %-44s  %s%n";
            System.out.printf(Locale.ROOT, row, "name", "dataset", "classes", "mIoU ss/ms", "test recipe", "size");
            for (CatalogueEntry e : list.entries()) {
                System.out.printf(Locale.ROOT, row, e.name(), e.dataset(), e.classes(), miou(e.miou()),
                        e.recipe().summary(), e.sizeBytes() == null ? "-"
                                : String.format(Locale.ROOT, "%.0f MB", e.sizeBytes() / 1e6));
            }
            System.out.println("get one with: ./danet weights get NAME   (docs/weights.md has the sources)");
            return 0;
        }

        private static String miou(CatalogueEntry.Miou m) {
            return String.format(Locale.ROOT, "%.2f", m.singleScale())
                    + (m.multiScaleFlip() == null ? "" : String.format(Locale.ROOT, " / %.2f", m.multiScaleFlip()));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = {
                "Download a public checkpoint, verify its SHA-256 against the published hash (or hash prefix),"
                        + " and convert it into DIR/NAME.danet, which segment, eval, attention and serve load"
                        + " without further flags.",
                "",
                "The published file is kept beside it under its own name. An interrupted download resumes from"
                        + " DIR/FILE.part the next time; a file already there and verified is not fetched again,"
                        + " an existing NAME.danet is left as it is. Files that need a browser (the authors'"
                        + " Google Drive checkpoint) are fetched by hand and passed with --from.",
                "",
                "Example: ./danet weights get mmseg-danet-r50-d8-cityscapes-512x1024-40k",
                "         ./danet weights get reference-danet-r101-cityscapes \\",
                "           --from ~/Downloads/DANet101.pth.tar"
            })
    static final class GetCommand implements Callable<Integer> {
        @Mixin
        CatalogueOption catalogue;

        @Parameters(paramLabel = "NAME", description = "A name from `./danet weights list`.")
        String name;

        @Option(names = "--out", defaultValue = "weights", paramLabel = "DIR",
                description = "Folder for the download and NAME.danet (default: ${DEFAULT-VALUE}, in the current folder).")
        Path out;

        @Option(names = "--from", paramLabel = "FILE",
                description = "Use this file, fetched by hand, instead of downloading: its hash is checked, then it is"
                        + " converted (the file itself is left where it is).")
        Path from;

        @Option(names = "--mirror", paramLabel = "URL",
                description = "Fetch from this server instead of the publisher's, for machines without access to"
                        + " it: http://host:port/prefix + the published path (e.g. /mmsegmentation/v0.5/...);"
                        + " files that need a browser are looked up as prefix/FILE_NAME.")
        String mirror;

        @Override
        public Integer call() {
            CatalogueEntry entry = catalogue.load().require(name);
            WeightsInstaller installer = new WeightsInstaller(new ResumableDownload(), System.out);
            WeightsInstaller.Installed result;
            if (from != null) {
                result = installer.installFrom(entry, from, out);
            } else {
                Mirror server = mirror == null ? null : Mirror.parse(mirror);
                if (entry.manualDownload() && server == null) {
                    throw new DanetException(entry.name() + " is served by " + entry.url().getHost()
                            + ", which needs a browser: open " + entry.url() + ", save " + entry.fileName()
                            + ", then run ./danet weights get " + entry.name() + " --from " + entry.fileName());
                }
                result = installer.install(entry, out, server == null ? entry.url() : server.locate(entry),
                        new DownloadBar(System.out));
            }
            System.out.println("ready: ./danet segment photo.jpg --weights " + result.checkpoint() + " --out out/");
            return 0;
        }
    }
}
