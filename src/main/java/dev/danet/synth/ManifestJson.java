package dev.danet.synth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** What the demo set's and the benchmarks' manifests record alike: the classes and the pixel frequencies. */
final class ManifestJson {

    private ManifestJson() {}

    /** "classes": every class the generator writes, with its name, labelId and trainId. */
    static void putClasses(ObjectNode root) {
        ArrayNode classes = root.putArray("classes");
        for (SyntheticClass c : SyntheticClass.values()) {
            ObjectNode n = classes.addObject();
            n.put("name", c.cityscapesName());
            n.put("labelId", c.labelId());
            n.put("trainId", c.trainId());
        }
    }

    /** Per class, its share of all the pixels counted (per labelId), to six decimals. */
    static void putFrequencies(ObjectNode out, List<long[]> labelCounts) {
        long[] counts = new long[256];
        for (long[] c : labelCounts) {
            for (int i = 0; i < 256; i++) {
                counts[i] += c[i];
            }
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        for (SyntheticClass c : SyntheticClass.values()) {
            out.put(c.cityscapesName(), total == 0 ? 0 : Math.round(1e6 * counts[c.labelId()] / (double) total) / 1e6);
        }
    }
}
