package dev.danet.weights;

import dev.danet.IoProblems;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.DanetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The known public checkpoints, read from a JSON file: the built-in one
 * (dev/danet/weights/catalogue.json, the facts and their sources beside each entry) or another
 * of the same format.
 */
public record WeightsCatalogue(List<CatalogueEntry> entries) {

    public static final String FORMAT = "danet-weights-catalogue";
    private static final String RESOURCE = "/dev/danet/weights/catalogue.json";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public WeightsCatalogue {
        entries = List.copyOf(entries);
        Set<String> names = new HashSet<>();
        for (CatalogueEntry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("catalogue lists '" + e.name() + "' twice");
            }
        }
    }

    /** The catalogue that ships with the project. */
    public static WeightsCatalogue builtIn() {
        try (InputStream in = WeightsCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return parse(JSON.readTree(in), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException(RESOURCE + ": " + IoProblems.reason(e), e);
        }
    }

    /** A catalogue file of the same format (e.g. a site's own list of mirrored files). */
    public static WeightsCatalogue read(Path file) {
        try {
            return parse(JSON.readTree(Files.readString(file)), file.toString());
        } catch (IOException e) {
            throw new DanetException(file + ": cannot read the catalogue: " + IoProblems.reason(e), e);
        }
    }

    private static WeightsCatalogue parse(JsonNode root, String where) {
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new DanetException(where + ": not a weights catalogue (format is not " + FORMAT + ")");
        }
        List<CatalogueEntry> list = new ArrayList<>();
        for (JsonNode node : root.path("entries")) {
            try {
                list.add(JSON.treeToValue(node, CatalogueEntry.class));
            } catch (IOException | IllegalArgumentException e) {
                throw new DanetException(where + ": bad entry " + node.path("name") + ": " + e.getMessage(), e);
            }
        }
        try {
            return new WeightsCatalogue(list);
        } catch (IllegalArgumentException e) {
            throw new DanetException(where + ": " + e.getMessage(), e);
        }
    }

    public Optional<CatalogueEntry> find(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return entries.stream().filter(e -> e.name().equals(wanted)).findFirst();
    }

    /** The entry of that name, or an error that suggests the closest names. */
    public CatalogueEntry require(String name) {
        return find(name).orElseThrow(() -> {
            List<String> close = closeNames(name, 3);
            return new DanetException("unknown weights '" + name + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
                    + " (`./danet weights list` shows all " + entries.size() + ")");
        });
    }

    /**
     * Up to {@code limit} names nearest to a mistyped one: names containing every '-'-separated
     * part of it first, then by edit distance.
     */
    public List<String> closeNames(String name, int limit) {
        String typed = name.trim().toLowerCase(Locale.ROOT);
        String[] parts = typed.split("-");
        return entries.stream().map(CatalogueEntry::name)
                .sorted(Comparator.<String>comparingInt(n -> missingParts(n, parts))
                        .thenComparingInt(n -> editDistance(n, typed)))
                .filter(n -> missingParts(n, parts) < parts.length || editDistance(n, typed) <= typed.length() / 2)
                .limit(limit)
                .toList();
    }

    private static int missingParts(String candidate, String[] parts) {
        int missing = 0;
        for (String p : parts) {
            if (!p.isEmpty() && !candidate.contains(p)) {
                missing++;
            }
        }
        return missing;
    }

    /** Levenshtein distance, two rows. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
