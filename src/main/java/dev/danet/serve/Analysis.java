package dev.danet.serve;

import dev.danet.data.RgbImage;
import dev.danet.inference.AttentionFeatures;
import dev.danet.inference.CamChannels;
import java.util.List;

/**
 * One analysed upload, kept so the page can ask for its pictures and attention maps by id.
 * Plain Java arrays only: nothing here holds native memory, so eviction needs no cleanup
 * and readers on other threads are safe.
 *
 * @param id random handle the page uses
 * @param name the upload's name
 * @param photo the decoded picture (EXIF orientation applied), as the model saw it
 * @param labels predicted class per pixel, row-major
 * @param counts pixels per class
 * @param features attention features, or null for a model without attention modules
 * @param channels CAM channels worth showing (per-class picks, then the most active overall)
 * @param timing seconds: wait, decode, segment, attention
 */
record Analysis(String id, String name, RgbImage photo, int[] labels, long[] counts, AttentionFeatures features,
        List<CamChannels.Pick> channels, Timing timing) {

    /** Where the time went, in seconds. */
    record Timing(double waited, double decode, double segment, double attention) {

        double total() {
            return waited + decode + segment + attention;
        }
    }

    /** Heap bytes held, for the cache's budget. */
    long bytes() {
        return photo.rgb().length + 4L * labels.length + (features == null ? 0 : features.bytes());
    }
}
