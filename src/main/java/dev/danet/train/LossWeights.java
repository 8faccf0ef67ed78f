package dev.danet.train;

import dev.danet.nn.ModelConfig;
import dev.danet.nn.ScaleFusion;
import dev.danet.nn.SegmentationOutputs;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much each of a model's outputs ({@link SegmentationOutputs}) counts in the training loss.
 *
 * @param main the main map (DANet: the fused map)
 * @param pam DANet's PAM branch map
 * @param cam DANet's CAM branch map
 * @param aux the auxiliary head's map, when the model has one
 * @param scales multi-scale models only: each scale's own map (the paper's extra supervision), one
 *        weight for all scales or one per scale; null: 1 for attention fusion, which the paper
 *        found essential, 0 for average and max fusion
 */
public record LossWeights(double main, double pam, double cam, double aux, double[] scales) {

    /** The reference's: 1 on each of DANet's outputs, 0.4 on aux (mmseg), scales by the fusion. */
    public static LossWeights reference() {
        return new LossWeights(1, 1, 1, 0.4, null);
    }

    /** The weight of each output the model computes, by name ({@link SegmentationOutputs#names}). */
    public Map<String, Double> byOutput(ModelConfig model) {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put(SegmentationOutputs.MAIN, main);
        if (model.multiScale()) {
            List<Double> inputScales = model.scales().scales();
            for (int s = 0; s < inputScales.size(); s++) {
                weights.put(SegmentationOutputs.scaleName(inputScales.get(s)), scale(model, s));
            }
        }
        if (model.head().outputCount() > 1) {
            weights.put(SegmentationOutputs.PAM, pam);
            weights.put(SegmentationOutputs.CAM, cam);
        }
        if (model.aux()) {
            weights.put(SegmentationOutputs.AUX, aux);
        }
        return weights;
    }

    private double scale(ModelConfig model, int index) {
        if (scales == null) {
            return model.scales().fusion() == ScaleFusion.ATTENTION ? 1 : 0;
        }
        return scales[scales.length == 1 ? 0 : index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LossWeights w && main == w.main && pam == w.pam && cam == w.cam && aux == w.aux
                && Arrays.equals(scales, w.scales);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {main, pam, cam, aux}) * 31 + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "main " + main + ", pam " + pam + ", cam " + cam + ", aux " + aux + ", scales "
                + (scales == null ? "by fusion" : Arrays.toString(scales));
    }
}
