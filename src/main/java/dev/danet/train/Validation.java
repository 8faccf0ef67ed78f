package dev.danet.train;

import dev.danet.nn.Network;
import java.util.Map;

/** Scores a network during training, e.g. mIoU on the validation split. */
@FunctionalInterface
public interface Validation {

    /** Named metrics; "mIoU" is the one plotted. */
    Map<String, Double> run(Network network);
}
