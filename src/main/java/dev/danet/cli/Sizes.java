package dev.danet.cli;

import dev.danet.DanetException;
import java.util.Locale;

/** Parses "HxW" sizes given on the command line. */
final class Sizes {

    private Sizes() {}

    /** "N" (a square) or "HxW". */
    static int[] parseSquareOrRectangle(String text, String option) {
        if (!text.toLowerCase(Locale.ROOT).contains("x")) {
            return parse(text + "x" + text, option);
        }
        return parse(text, option);
    }

    static int[] parse(String text, String option) {
        String[] parts = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int h = Integer.parseInt(parts[0].trim());
                int w = Integer.parseInt(parts[1].trim());
                if (h > 0 && w > 0) {
                    return new int[] {h, w};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DanetException(option + " must look like 128x256 (height x width), got '" + text + "'");
    }
}
