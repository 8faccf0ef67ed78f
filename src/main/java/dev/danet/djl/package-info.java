/**
 * DANet in DJL's terms: {@code Criteria} to {@code ZooModel} to {@code Predictor<Image, CategoryMask>}.
 *
 * <pre>{@code
 * Criteria<Image, CategoryMask> criteria = DanetModels.criteria(Path.of("model.danet")).build();
 * try (ZooModel<Image, CategoryMask> model = criteria.loadModel();
 *         Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
 *     Image image = DanetImages.read(Path.of("street.jpg"));
 *     CategoryMask mask = predictor.predict(image);
 *     mask.drawMask(image, 180, 0); // class 0 uncoloured; drawMask(image, 180) paints it black
 * }
 * }</pre>
 *
 * <p>DJL's PyTorch engine reads TorchScript only, so the model is made by
 * {@link dev.danet.djl.DanetBlockFactory} (DJL's {@code blockFactory} argument), which loads any
 * weights file the project reads into a {@link dev.danet.api.Segmenter}; DJL is told the block
 * has no parameter file of its own ({@code hasParameter=false}); {@link
 * dev.danet.djl.DanetTranslatorFactory} makes the translator. {@link dev.danet.djl.DanetModels}
 * sets all three.
 *
 * <p>DJL's {@code ImageFactory} ignores a JPEG's EXIF orientation; {@link dev.danet.djl.DanetImages}
 * reads pictures as {@code ./danet segment} does, so that the masks are the CLI's pixel for pixel.
 * A {@code ZooModel} may be shared; DJL's rule of one {@code Predictor} per thread holds, and the
 * predictions of one model run one at a time on its segmenter. Closing the model frees the weights.
 */
package dev.danet.djl;
