package dev.danet.io.layout;

import dev.danet.data.Normalization;
import dev.danet.io.TestRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an mmsegmentation checkpoint's {@code meta} says about its model: class names and palette
 * (mmseg 0.x: CLASSES / PALETTE; 1.x: dataset_meta.classes / .palette) and, from the training
 * config saved as Python text (0.x: config; 1.x: cfg), the decode head's align_corners, the test
 * mode (whole or slide with crop and stride), the test-time resize, the normalisation and
 * reduce_zero_label. Anything missing stays unknown (null), so callers fall back to flags or defaults.
 *
 * @param classNames class names, empty when absent
 * @param palette packed 0xRRGGBB by class, empty when absent
 * @param alignCorners the decode head's align_corners, or null
 * @param testRecipe the test mode and resize, or null
 * @param normalization the input normalisation, or null
 * @param reduceZeroLabel whether labels use reduce_zero_label, or null
 */
public record MmsegMeta(List<String> classNames, int[] palette, Boolean alignCorners, TestRecipe testRecipe,
        Normalization normalization, Boolean reduceZeroLabel) {

    private static final Pattern NUMBER_PAIR = Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    public static MmsegMeta read(Map<?, ?> meta) {
        Object classes = meta.get("CLASSES");
        Object palette = meta.get("PALETTE");
        if (meta.get("dataset_meta") instanceof Map<?, ?> dataset) {
            classes = classes != null ? classes : dataset.get("classes");
            palette = palette != null ? palette : dataset.get("palette");
        }
        Object text = meta.get("config") != null ? meta.get("config") : meta.get("cfg");
        String config = text instanceof String s ? s : "";
        return new MmsegMeta(names(classes), colours(palette), alignCorners(config), recipe(config),
                normalization(config), reduceZeroLabel(config));
    }

    /** Whether the meta told anything at all. */
    public boolean isEmpty() {
        return classNames.isEmpty() && palette.length == 0 && alignCorners == null && testRecipe == null
                && normalization == null && reduceZeroLabel == null;
    }

    private static List<String> names(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object o : list) {
                names.add(String.valueOf(o));
            }
        }
        return names;
    }

    private static int[] colours(Object value) {
        if (!(value instanceof List<?> list)) {
            return new int[0];
        }
        int[] colours = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof List<?> rgb) || rgb.size() != 3) {
                return new int[0];
            }
            int packed = 0;
            for (Object channel : rgb) {
                if (!(channel instanceof Number n)) {
                    return new int[0];
                }
                packed = (packed << 8) | (n.intValue() & 0xff);
            }
            colours[i] = packed;
        }
        return colours;
    }

    static Boolean alignCorners(String config) {
        String head = dictBody(config, "decode_head");
        Matcher m = Pattern.compile("align_corners\\s*=\\s*(True|False)").matcher(head != null ? head : "");
        return m.find() ? Boolean.valueOf(m.group(1).equals("True")) : null;
    }

    static TestRecipe recipe(String config) {
        String testCfg = dictBody(config, "test_cfg");
        if (testCfg == null) {
            return null;
        }
        TestRecipe recipe = TestRecipe.WHOLE;
        if (testCfg.matches("(?s).*mode\\s*=\\s*'slide'.*")) {
            int[] crop = pair(testCfg, "crop_size");
            int[] stride = pair(testCfg, "stride");
            if (crop == null || stride == null) {
                return null;
            }
            recipe = TestRecipe.slide(Math.max(crop[0], crop[1]), Math.max(stride[0], stride[1]));
        }
        String pipeline = listBody(config, "test_pipeline");
        int[] scale = pipeline == null ? null : pair(pipeline, "img_scale");
        if (scale == null && pipeline != null) {
            scale = pair(pipeline, "scale");
        }
        return scale == null ? recipe
                : recipe.withResize(Math.max(scale[0], scale[1]), Math.min(scale[0], scale[1]));
    }

    static Normalization normalization(String config) {
        for (String key : new String[] {"img_norm_cfg", "data_preprocessor"}) {
            String body = dictBody(config, key);
            if (body == null) {
                continue;
            }
            double[] mean = numbers(body, "mean");
            double[] std = numbers(body, "std");
            if (mean != null && std != null && mean.length == 3 && std.length == 3) {
                return Normalization.ofBytes(mean, std);
            }
        }
        return null;
    }

    static Boolean reduceZeroLabel(String config) {
        Matcher m = Pattern.compile("reduce_zero_label\\s*=\\s*(True|False)").matcher(config);
        return m.find() ? Boolean.valueOf(m.group(1).equals("True")) : null;
    }

    private static int[] pair(String text, String key) {
        Matcher m = Pattern.compile("\\b" + key + "\\s*=\\s*" + NUMBER_PAIR.pattern()).matcher(text);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    private static double[] numbers(String text, String key) {
        Matcher m = Pattern.compile("\\b" + key + "\\s*=\\s*\\[([^\\]]*)\\]").matcher(text);
        if (!m.find()) {
            return null;
        }
        String[] parts = m.group(1).split(",");
        double[] values = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                values[i] = Double.parseDouble(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return values;
    }

    /** The text inside {@code key = dict(...)} (first occurrence), or null. */
    static String dictBody(String config, String key) {
        return enclosed(config, Pattern.compile("\\b" + key + "\\s*=\\s*dict\\("), '(', ')');
    }

    /** The text inside {@code key = [...]} (first occurrence), or null. */
    static String listBody(String config, String key) {
        return enclosed(config, Pattern.compile("\\b" + key + "\\s*=\\s*\\["), '[', ']');
    }

    private static String enclosed(String text, Pattern opening, char open, char close) {
        Matcher m = opening.matcher(text);
        if (!m.find()) {
            return null;
        }
        int depth = 1;
        for (int i = m.end(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return text.substring(m.end(), i);
            }
        }
        return null;
    }
}
