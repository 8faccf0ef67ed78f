package dev.danet.synth;

/**
 * One synthetic street scene as painted: the picture, its Cityscapes labelIds, and what a
 * test or an evaluation needs to know about its long-range cues.
 *
 * @param width pixels per row
 * @param height rows
 * @param rgb packed 0xRRGGBB colours, row-major
 * @param labelIds Cityscapes labelIds (unsigned bytes), row-major
 * @param cues the image's class for the ambiguous vehicles and the ambiguous ground surface
 * @param markerBox the zone sign (plate and post) that tells the vehicles' class: {x0, y0, x1, y1},
 *     pixel bounds with x1 and y1 exclusive, grown by a pixel for the camera blur
 * @param markingPixels visible lane-marking pixels (0 in terrain images)
 * @param markingRows lane markings (in road images) lie only in rows above this one; the
 *     ground below it looks the same in road and terrain images
 * @param vehicles number of ambiguous vehicles drawn (at least one)
 */
public record PaintedScene(int width, int height, int[] rgb, byte[] labelIds, SceneCues cues, int[] markerBox,
                           int markingPixels, int markingRows, int vehicles) implements SceneImage {
}
