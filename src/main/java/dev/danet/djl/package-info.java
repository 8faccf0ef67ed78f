/**
 * DANet in DJL's terms: {@code Criteria} to {@code ZooModel} to {@code Predictor<Image, CategoryMask>}.
 *
 * <pre>{@code
 * Criteria<Image, CategoryMask> criteria = DanetModels.criteria(Path.of("model.danet")).build();
 * try (ZooModel<Image, CategoryMask> model = criteria.loadModel();
 *         Predictor<Image, CategoryMask> predictor = model.newPredictor()) {
 *     Image image = ImageFactory.getInstance().fromFile(Path.of("street.jpg"));
 *     CategoryMask mask = predictor.predict(image);
 *     mask.drawMask(image, 180);
 * }
 * }</pre>
 *
 * <p>DJL's PyTorch engine reads TorchScript only, so the model is made by
 * {@link dev.danet.djl.DanetBlockFactory} (DJL's {@code blockFactory} argument), which loads any
 * weights file the project reads into a {@link dev.danet.api.Segmenter}; DJL is told the block
 * has no parameter file of its own ({@code hasParameter=false}); {@link
 * dev.danet.djl.DanetTranslatorFactory} makes the translator. {@link dev.danet.djl.DanetModels}
 * sets all three.
 */
package dev.danet.djl;
