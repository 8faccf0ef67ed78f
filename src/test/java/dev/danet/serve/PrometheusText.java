package dev.danet.serve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format, version 0.0.4, for tests: no Java
 * library on Maven Central parses it (the Prometheus Java client only writes it), so this one
 * follows the format's rules as Prometheus' own parser does and throws on the first broken one:
 *
 * <ul>
 *   <li>{@code # HELP name text} (text escapes {@code \\} and {@code \n}) and {@code # TYPE name
 *       counter|gauge|histogram|summary|untyped}, each at most once per family, TYPE before the
 *       family's first sample; other {@code #} lines are comments;
 *   <li>samples {@code name{label="value",...} value [timestamp]}: metric names
 *       {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code [a-zA-Z_][a-zA-Z0-9_]*} (none
 *       starting with {@code __}, none twice), label values with only {@code \\}, {@code \"}
 *       and {@code \n} escaped, values as Go's ParseFloat reads them ({@code NaN},
 *       {@code +Inf}, {@code -Inf} included), an optional integer timestamp, separated by
 *       blanks;
 *   <li>a family's lines in one group, no sample twice;
 *   <li>a histogram's samples are {@code _bucket} (with {@code le}), {@code _sum} and
 *       {@code _count}; for each label set its buckets' {@code le} ascend, end with
 *       {@code +Inf}, their counts never fall, and the {@code +Inf} bucket equals
 *       {@code _count}; a summary's are {@code {quantile=...}}, {@code _sum} and {@code _count}.
 * </ul>
 */
final class PrometheusText {

    /** A sample: metric name, labels (in the order written) and value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** A metric family: name, type (untyped where no TYPE line), help text and samples. */
    record Family(String name, String type, String help, List<Sample> samples) {

        /** The samples of that metric name whose labels include all the given ones. */
        List<Sample> find(String metric, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(metric)
                    && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        }
    }

    /** A line that breaks the format, with its number. */
    static final class FormatError extends RuntimeException {
        FormatError(int line, String message, String text) {
            super("line " + line + ": " + message + ": " + text);
        }
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[iI]nf|NaN)");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> helps = new LinkedHashMap<>();
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final Set<String> closed = new HashSet<>();
    private final Set<String> seen = new HashSet<>();
    private String current;
    private int lineNumber;
    private String line;

    private PrometheusText() {}

    /** The families in the order they appear, by name; throws {@link FormatError} on a broken rule. */
    static Map<String, Family> parse(String text) {
        return new PrometheusText().read(text);
    }

    private Map<String, Family> read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new FormatError(0, "the exposition must end with a line feed", "");
        }
        for (String l : text.split("\n", -1)) {
            lineNumber++;
            line = l;
            if (l.isBlank()) {
                continue;
            }
            if (l.startsWith("#")) {
                comment(l);
            } else {
                sample(l);
            }
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (String name : order()) {
            Family family = new Family(name, types.getOrDefault(name, "untyped"), helps.get(name),
                    List.copyOf(samples.getOrDefault(name, List.of())));
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            } else if (family.type().equals("summary")) {
                checkSummary(family);
            }
            families.put(name, family);
        }
        return families;
    }

    private List<String> order() {
        List<String> names = new ArrayList<>(samples.keySet());
        types.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        helps.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    private void comment(String l) {
        String[] parts = l.split(" ", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return; // a plain comment
        }
        String name = parts[2];
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("invalid metric name '" + name + "'");
        }
        enter(name);
        String rest = parts.length == 4 ? parts[3] : "";
        if (parts[1].equals("HELP")) {
            if (helps.containsKey(name)) {
                fail("second HELP line for " + name);
            }
            helps.put(name, unescapeHelp(rest));
        } else {
            if (types.containsKey(name)) {
                fail("second TYPE line for " + name);
            }
            if (samples.containsKey(name)) {
                fail("TYPE line for " + name + " after its samples");
            }
            if (!TYPES.contains(rest)) {
                fail("unknown type '" + rest + "'");
            }
            types.put(name, rest);
        }
    }

    private void sample(String l) {
        int at = 0;
        while (at < l.length() && l.charAt(at) != '{' && l.charAt(at) != ' ' && l.charAt(at) != '\t') {
            at++;
        }
        String name = l.substring(0, at);
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("invalid metric name '" + name + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (at < l.length() && l.charAt(at) == '{') {
            at = labels(l, at + 1, labels);
        }
        if (at >= l.length() || (l.charAt(at) != ' ' && l.charAt(at) != '\t')) {
            fail("expected blanks and a value after the metric");
        }
        String[] rest = l.substring(at).strip().split("[ \t]+", -1);
        if (rest.length < 1 || rest.length > 2 || !FLOAT.matcher(rest[0]).matches()) {
            fail("expected a value and at most a timestamp");
        }
        if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
            fail("invalid timestamp '" + rest[1] + "'");
        }
        String family = familyOf(name);
        enter(family);
        checkReservedLabels(family, name, labels);
        if (!seen.add(name + new TreeMap<>(labels))) {
            fail("sample given twice");
        }
        samples.computeIfAbsent(family, f -> new ArrayList<>()).add(new Sample(name, labels, value(rest[0])));
    }

    /** Reads {@code name="value",...}} from just after the brace; returns the index after the closing one. */
    private int labels(String l, int at, Map<String, String> into) {
        while (true) {
            if (at < l.length() && l.charAt(at) == '}') {
                return at + 1;
            }
            int equals = l.indexOf('=', at);
            if (equals < 0) {
                fail("label without '='");
            }
            String label = l.substring(at, equals);
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                fail("invalid label name '" + label + "'");
            }
            if (equals + 1 >= l.length() || l.charAt(equals + 1) != '"') {
                fail("label value of " + label + " not in double quotes");
            }
            StringBuilder value = new StringBuilder();
            int i = equals + 2;
            for (; i < l.length() && l.charAt(i) != '"'; i++) {
                char c = l.charAt(i);
                if (c == '\\') {
                    char next = i + 1 < l.length() ? l.charAt(++i) : ' ';
                    switch (next) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> fail("invalid escape '\\" + next + "' in a label value");
                    }
                } else {
                    value.append(c);
                }
            }
            if (i >= l.length()) {
                fail("label value of " + label + " without its closing quote");
            }
            if (into.put(label, value.toString()) != null) {
                fail("label " + label + " given twice");
            }
            at = i + 1;
            if (at < l.length() && l.charAt(at) == ',') {
                at++;
            } else if (at >= l.length() || l.charAt(at) != '}') {
                fail("expected ',' or '}' after a label");
            }
        }
    }

    /** The family a sample belongs to: a histogram's or summary's suffixed samples belong to the base name. */
    private String familyOf(String name) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
                    return base;
                }
            }
        }
        return name;
    }

    /** A family's lines must be one group: once another family began, it may not come back. */
    private void enter(String family) {
        if (family.equals(current)) {
            return;
        }
        if (closed.contains(family)) {
            fail("the lines of " + family + " are not in one group");
        }
        if (current != null) {
            closed.add(current);
        }
        current = family;
    }

    private void checkReservedLabels(String family, String name, Map<String, String> labels) {
        String type = types.getOrDefault(family, "untyped");
        boolean bucket = type.equals("histogram") && name.equals(family + "_bucket");
        if (type.equals("histogram") && name.equals(family)) {
            fail("a histogram's samples are " + family + "_bucket, _sum and _count");
        }
        if (bucket != labels.containsKey("le")) {
            fail(bucket ? "histogram bucket without an le label" : "le label outside a histogram bucket");
        }
        boolean quantile = type.equals("summary") && name.equals(family);
        if (quantile != labels.containsKey("quantile")) {
            fail(quantile ? "summary sample without a quantile label" : "quantile label outside a summary");
        }
        if (bucket && !FLOAT.matcher(labels.get("le")).matches()) {
            fail("le label '" + labels.get("le") + "' is not a number");
        }
    }

    private void checkHistogram(Family family) {
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : family.samples()) {
            Map<String, String> key = new TreeMap<>(s.labels());
            if (s.name().endsWith("_bucket")) {
                key.remove("le");
                buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(key, s.value());
            }
        }
        for (Map.Entry<Map<String, String>, List<Sample>> series : buckets.entrySet()) {
            double lastBound = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (Sample bucket : series.getValue()) {
                double bound = value(bucket.labels().get("le"));
                if (!(bound > lastBound)) {
                    throw new FormatError(0, family.name() + ": bucket bounds do not ascend", bucket.toString());
                }
                if (bucket.value() < lastCount) {
                    throw new FormatError(0, family.name() + ": bucket counts fall", bucket.toString());
                }
                lastBound = bound;
                lastCount = bucket.value();
            }
            if (lastBound != Double.POSITIVE_INFINITY) {
                throw new FormatError(0, family.name() + ": no le=\"+Inf\" bucket", series.getKey().toString());
            }
            Double count = counts.get(series.getKey());
            if (count == null || count != lastCount) {
                throw new FormatError(0, family.name() + ": the +Inf bucket (" + lastCount + ") is not _count ("
                        + count + ")", series.getKey().toString());
            }
        }
    }

    private void checkSummary(Family family) {
        for (Sample s : family.samples()) {
            if (s.labels().containsKey("quantile")) {
                double q = value(s.labels().get("quantile"));
                if (!(q >= 0 && q <= 1)) {
                    throw new FormatError(0, family.name() + ": quantile outside 0..1", s.toString());
                }
            }
        }
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    /** A HELP text: only backslash and line feed are escaped there. */
    private String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(++i) : ' ';
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> fail("invalid escape '\\" + next + "' in a HELP text");
            }
        }
        return out.toString();
    }

    private void fail(String message) {
        throw new FormatError(lineNumber, message, line);
    }
}
