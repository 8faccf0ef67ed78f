package dev.danet.serve;

import dev.danet.inference.AttentionReport;

/**
 * One analysed upload, kept so the page can ask for its pictures and attention maps by id.
 * Plain Java arrays only: nothing here holds native memory, so eviction needs no cleanup
 * and readers on other threads are safe.
 *
 * @param id random handle the page uses
 * @param name the upload's name
 * @param report the segmentation and attention features of the decoded picture (EXIF orientation
 *     applied), as the model saw it
 * @param timing seconds: wait, decode, segment, attention
 */
record Analysis(String id, String name, AttentionReport report, Timing timing) {

    /** Where the time went, in seconds. */
    record Timing(double waited, double decode, double segment, double attention) {

        double total() {
            return waited + decode + segment + attention;
        }
    }

    /** Heap bytes held, for the cache's budget. */
    long bytes() {
        return report.bytes();
    }
}
