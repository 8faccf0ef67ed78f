package dev.danet.train;

import dev.danet.nn.Network;
import java.util.Map;

/** Scores a network during training, e.g. mIoU on the validation split. */
@FunctionalInterface
public interface Validation {

    /** Named metrics, as SegmentationMetrics.summary() names them; "mIoU_present" is plotted. */
    Map<String, Double> run(Network network);
}
