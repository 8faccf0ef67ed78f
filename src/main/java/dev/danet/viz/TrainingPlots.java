package dev.danet.viz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.danet.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;

/** Redraws a run's plots from its training log at every checkpoint, beside the checkpoint. */
public final class TrainingPlots implements TrainingListener {

    /** Loss per step and validation mIoU ({@link TrainingCurves}). */
    public static final String CURVES = "training-curves.png";
    /** Drawn from the log's diagnostics lines ({@link DiagnosticsPlot}); none without them. */
    public static final String DIAGNOSTICS = "training-diagnostics.png";

    @Override
    public void checkpointed(Path runDir, List<JsonNode> log) {
        TrainingCurves.write(runDir.resolve(CURVES), log);
        DiagnosticsPlot.write(runDir.resolve(DIAGNOSTICS), log);
    }
}
