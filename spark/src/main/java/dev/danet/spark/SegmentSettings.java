package dev.danet.spark;

import java.io.Serializable;

/**
 * What each segmenting task needs, sent with the job.
 *
 * @param model the model and how to run it
 * @param inputRoot the input folder, fully qualified: outputs are named by the path below it
 * @param labels the folder the label PNGs go to
 * @param maxPixels images with more pixels are refused (an error row), as `segment --max-pixels`
 * @param hadoop the driver's Hadoop configuration
 * @param failFirstAttemptAfter test hook: the first attempt of partition 0 dies after this many
 *     images (0: never), to show that a retried task leaves complete, unique outputs
 */
record SegmentSettings(ModelSpec model, String inputRoot, String labels, long maxPixels, HadoopSettings hadoop,
        int failFirstAttemptAfter) implements Serializable {}
