package dev.danet.djl;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/** Makes the {@link DanetTranslator} for Criteria of types (Image, CategoryMask). */
public final class DanetTranslatorFactory implements TranslatorFactory {

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Image.class, CategoryMask.class));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model,
            Map<String, ?> arguments) throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException("a DANet model translates Image to CategoryMask, not " + input.getName()
                    + " to " + output.getName());
        }
        if (!(model.getBlock() instanceof SegmenterBlock)) {
            throw new TranslateException("the model's block is not a DANet segmenter; load it with"
                    + " DanetModels.criteria(path) or set the argument blockFactory=" + DanetBlockFactory.class.getName());
        }
        return (Translator<I, O>) new DanetTranslator();
    }
}
