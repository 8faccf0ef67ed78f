package dev.danet.spark;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Class names as column names: letters, digits and underscores, unique (a clash gets the class index). */
final class ColumnNames {

    private ColumnNames() {}

    static List<String> of(List<String> classNames) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < classNames.size(); c++) {
            String name = classNames.get(c).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
            if (name.isEmpty() || !seen.add(name)) {
                name = name + "_" + c;
                seen.add(name);
            }
            names.add(name);
        }
        return names;
    }
}
