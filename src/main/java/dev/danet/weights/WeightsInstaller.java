package dev.danet.weights;

import dev.danet.IoProblems;
import dev.danet.DanetException;
import dev.danet.data.ClassSet;
import dev.danet.io.ModelCard;
import dev.danet.io.ModelCheckpoint;
import dev.danet.io.ModelLoader;
import dev.danet.nn.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gets a catalogue entry into a folder as a ready checkpoint: downloads the published file
 * (resuming, verified against the published hash, renamed into place only when whole and
 * right), then converts it with the project's loader into NAME.danet. Work already done is
 * kept: an existing NAME.danet or verified download is used as it is.
 */
public final class WeightsInstaller {

    /**
     * What an install left behind.
     *
     * @param checkpoint the converted checkpoint, NAME.danet
     * @param source the published file it came from, or null when the checkpoint was already there
     * @param sha256 the source's SHA-256, or null when the checkpoint was already there
     * @param downloaded whether this call downloaded anything
     * @param converted whether this call wrote the checkpoint
     */
    public record Installed(Path checkpoint, Path source, String sha256, boolean downloaded, boolean converted) {}

    private final ResumableDownload download;
    private final PrintStream log;

    public WeightsInstaller(ResumableDownload download, PrintStream log) {
        this.download = download;
        this.log = log;
    }

    /** Downloads the entry's file from url (the publisher's or a mirror's) into dir and converts it. */
    public Installed install(CatalogueEntry entry, Path dir, URI url, DownloadProgress progress) {
        Path checkpoint = dir.resolve(entry.checkpointFileName());
        if (ModelCheckpoint.isCheckpoint(checkpoint)) {
            log.println(checkpoint + " is already there (delete it to convert again)");
            return new Installed(checkpoint, null, null, false, false);
        }
        Path file = dir.resolve(entry.fileName());
        String sha = null;
        if (Files.isRegularFile(file)) {
            String existing = hash(file);
            if (!entry.hasHash() || Sha256.matches(existing, entry.sha256())) {
                log.println("using " + file + ", downloaded before" + (entry.hasHash() ? " (hash verified)" : ""));
                sha = existing;
            } else {
                log.println(file + " does not match the published hash " + entry.sha256() + "; downloading it again");
            }
        }
        boolean downloaded = false;
        if (sha == null) {
            sha = fetchVerified(entry, url, file, progress);
            downloaded = true;
        }
        convert(entry, file, checkpoint, sha);
        return new Installed(checkpoint, file, sha, downloaded, true);
    }

    /** Checks a file the user fetched by hand against the published hash and converts it into dir. */
    public Installed installFrom(CatalogueEntry entry, Path file, Path dir) {
        if (!Files.isRegularFile(file)) {
            throw new DanetException(file + ": no such file");
        }
        Path checkpoint = dir.resolve(entry.checkpointFileName());
        if (ModelCheckpoint.isCheckpoint(checkpoint)) {
            log.println(checkpoint + " is already there (delete it to convert again)");
            return new Installed(checkpoint, null, null, false, false);
        }
        String sha = hash(file);
        if (entry.hasHash() && !Sha256.matches(sha, entry.sha256())) {
            throw new DanetException(file + ": SHA-256 " + sha + " does not match the published " + entry.sha256()
                    + " of " + entry.fileName() + "; is it that file, downloaded whole?");
        }
        reportHash(entry, sha);
        convert(entry, file, checkpoint, sha);
        return new Installed(checkpoint, file, sha, false, true);
    }

    /** Downloads into FILE.part, checks the hash, renames to FILE; returns the SHA-256. */
    private String fetchVerified(CatalogueEntry entry, URI url, Path file, DownloadProgress progress) {
        Path part = ResumableDownload.partOf(file);
        log.println("downloading " + url + (entry.sizeBytes() != null ? " (" + ResumableDownload.mb(entry.sizeBytes())
                + ")" : "") + (Files.isRegularFile(part) ? ", resuming " + part : "") + " -> " + file);
        download.fetch(url, part, progress);
        String sha = hash(part);
        if (entry.hasHash() && !Sha256.matches(sha, entry.sha256())) {
            ResumableDownload.deleteQuietly(part);
            throw new DanetException(url + ": the download's SHA-256 " + sha + " does not match the published "
                    + entry.sha256() + "; it was deleted (a damaged transfer, or the file changed at the source)");
        }
        reportHash(entry, sha);
        try {
            try {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            ResumableDownload.deleteQuietly(part);
            throw new DanetException(file + ": cannot write (" + IoProblems.reason(e) + "); the download was deleted", e);
        }
        return sha;
    }

    private void reportHash(CatalogueEntry entry, String sha) {
        if (entry.hasHash()) {
            log.println("SHA-256 " + sha + " matches the published " + (entry.hasFullHash() ? "hash" : entry.sha256()));
        } else {
            log.println("note: no hash is published for " + entry.name() + ", so the file could not be verified;"
                    + " its SHA-256 is " + sha);
        }
    }

    /** Loads the published file with the project's loader and saves it as the project's checkpoint. */
    private void convert(CatalogueEntry entry, Path file, Path checkpoint, String sha) {
        ModelLoader.Options options = ModelLoader.Options.defaults()
                .withOutputStride(entry.load().outputStride(), entry.load().multiGrid())
                .withAlignCorners(entry.recipe().alignCorners());
        try (ModelLoader.Loaded loaded = ModelLoader.open(file, options, log)) {
            Network network = loaded.network();
            int classes = network.config().classes();
            if (classes != entry.classes()) {
                throw new DanetException(file + ": predicts " + classes + " classes, but " + entry.name() + " has "
                        + entry.classes() + "; is it the right file?");
            }
            ModelCheckpoint.save(checkpoint, network, card(entry, loaded.card(), classes), metadata(entry, sha),
                    Map.of());
            log.println("wrote " + checkpoint + ": " + network.config().describe());
        } catch (DanetException e) {
            throw new DanetException("converting " + entry.name() + " failed: " + e.getMessage()
                    + " (the verified file stays in " + file + ")", e);
        }
    }

    /**
     * The card saved with the converted model: the catalogue's test recipe (the file's own meta may
     * lack one), the dataset's class names and colours where the file names none, and ADE20K's
     * reduce_zero_label.
     */
    private static ModelCard card(CatalogueEntry entry, ModelCard fromFile, int classes) {
        ModelCard card = fromFile.withTestRecipe(entry.recipe().toTestRecipe(entry.layout().equals("reference-danet")));
        if (card.classNames().isEmpty()) {
            ClassSet known = ClassSet.forModel(java.util.List.of(), classes);
            card = card.withClasses(known.names(), known.colours());
        }
        boolean reduceZeroLabel = card.reduceZeroLabel() || entry.dataset().equals("ade20k");
        return new ModelCard(card.classNames(), card.palette(), card.normalization(), card.testRecipe(),
                reduceZeroLabel, entry.name() + " (" + fromFile.source() + ")");
    }

    private static Map<String, Object> metadata(CatalogueEntry entry, String sha) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("converted_from", entry.fileName());
        meta.put("catalogue_name", entry.name());
        meta.put("source_url", entry.url().toString());
        meta.put("sha256", sha);
        meta.put("dataset", entry.dataset());
        meta.put("published_miou", entry.miou().singleScale());
        meta.put("test_recipe", entry.recipe().summary());
        return meta;
    }

    private static String hash(Path file) {
        try {
            return Sha256.of(file);
        } catch (IOException e) {
            throw new DanetException(file + ": cannot read (" + IoProblems.reason(e) + ")", e);
        }
    }
}
