package dev.danet.spark;

import dev.danet.cli.ImageLimits;
import java.io.Serializable;

/**
 * What each segmenting task needs, sent with the job.
 *
 * @param model the model and how to run it
 * @param inputRoot the input folder, fully qualified: outputs are named by the path below it
 * @param labels the folder the label PNGs go to
 * @param limits images with more pixels or model runs are refused (an error row), as by `segment`
 * @param hadoop the driver's Hadoop configuration
 * @param failFirstAttemptAfter test hook: the first attempt of partition 0 dies after this many
 *     images (0: never), to show that a retried task leaves complete, unique outputs
 */
record SegmentSettings(ModelSpec model, String inputRoot, String labels, ImageLimits limits, HadoopSettings hadoop,
        int failFirstAttemptAfter) implements Serializable {}
