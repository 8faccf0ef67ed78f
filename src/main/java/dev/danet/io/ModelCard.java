package dev.danet.io;

import dev.danet.data.ClassSet;
import dev.danet.data.Normalization;
import java.util.List;

/**
 * What a model needs besides its architecture and weights to be used right: how to normalise
 * its input, what its classes are called and how they are drawn, how its publisher tests it,
 * and how its labels count. Saved in every danet checkpoint; read from mmsegmentation's meta
 * when a .pth carries it.
 *
 * @param classNames names by class index; empty when the file does not say
 * @param palette packed 0xRRGGBB colour by class index; empty when the file does not say
 * @param normalization the input normalisation
 * @param testRecipe whole image or sliding windows, and the test-time resize; null when the file does
 *                   not say (the commands then use their own defaults)
 * @param reduceZeroLabel whether the dataset's label 0 means "ignore" and the rest shift down by one
 *                        (ADE20K as mmsegmentation trains it)
 * @param source where the model came from (layout and file), for `info`
 */
public record ModelCard(List<String> classNames, int[] palette, Normalization normalization, TestRecipe testRecipe,
        boolean reduceZeroLabel, String source) {

    public ModelCard {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        palette = palette == null ? new int[0] : palette.clone();
        normalization = normalization == null ? Normalization.IMAGENET : normalization;
        source = source == null ? "" : source;
        if (!classNames.isEmpty() && palette.length > 0 && palette.length != classNames.size()) {
            throw new IllegalArgumentException(palette.length + " palette colours for " + classNames.size() + " classes");
        }
    }

    /** A model that says nothing about itself: ImageNet normalisation, no recipe, names by class count. */
    public static ModelCard defaults() {
        return new ModelCard(List.of(), new int[0], Normalization.IMAGENET, null, false, "");
    }

    public static ModelCard of(ClassSet classes) {
        return defaults().withClasses(classes.names(), classes.colours());
    }

    @Override
    public int[] palette() {
        return palette.clone();
    }

    public ModelCard withClasses(List<String> names, int[] colours) {
        return new ModelCard(names, colours, normalization, testRecipe, reduceZeroLabel, source);
    }

    public ModelCard withTestRecipe(TestRecipe recipe) {
        return new ModelCard(classNames, palette, normalization, recipe, reduceZeroLabel, source);
    }

    public ModelCard withSource(String text) {
        return new ModelCard(classNames, palette, normalization, testRecipe, reduceZeroLabel, text);
    }

    /**
     * The classes for a model with this many outputs: the card's names and colours where they fit,
     * else a known dataset's with that many classes (see {@link ClassSet#forModel}).
     */
    public ClassSet classes(int count) {
        ClassSet named = ClassSet.forModel(classNames, count);
        if (palette.length == count && named.size() == count) {
            return new ClassSet(named.name(), named.names(), palette);
        }
        return named;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelCard c && classNames.equals(c.classNames) && java.util.Arrays.equals(palette, c.palette)
                && normalization.equals(c.normalization) && java.util.Objects.equals(testRecipe, c.testRecipe)
                && reduceZeroLabel == c.reduceZeroLabel && source.equals(c.source);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(classNames, java.util.Arrays.hashCode(palette), normalization, testRecipe,
                reduceZeroLabel, source);
    }
}
