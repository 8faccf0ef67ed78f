package dev.danet.serve;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The analysed images the page may still ask about: least recently used first out, bounded
 * both in entries and in heap bytes, so that hovering over a recent upload is fast and old
 * uploads cannot pile up.
 */
final class AnalysisCache {

    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<String, Analysis> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    AnalysisCache(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    synchronized void put(Analysis analysis) {
        Analysis old = entries.put(analysis.id(), analysis);
        if (old != null) {
            bytes -= old.bytes();
        }
        bytes += analysis.bytes();
        Iterator<Map.Entry<String, Analysis>> eldest = entries.entrySet().iterator();
        // Keep the newest entry even if it alone is over the byte budget: the page needs it now.
        while (entries.size() > 1 && (entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            Analysis out = eldest.next().getValue();
            if (out == analysis) {
                break;
            }
            bytes -= out.bytes();
            eldest.remove();
        }
    }

    /** The analysis, or a 404 problem saying it may have been evicted. */
    synchronized Analysis get(String id) {
        Analysis analysis = entries.get(id);
        if (analysis == null) {
            throw HttpProblem.notFound("no analysed image with id '" + id + "' (the server keeps the last "
                    + maxEntries + "; upload the image again)");
        }
        return analysis;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
