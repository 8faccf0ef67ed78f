package dev.danet.io.layout;

import java.util.ArrayList;
import java.util.List;

/** Key renaming: the first rule that matches the key (a prefix, or an exact key) replaces that part. */
final class PrefixRules {

    private record Rule(String from, String to, boolean exact) {}

    private final List<Rule> rules = new ArrayList<>();

    /** Keys starting with {@code from} get {@code to} in its place. */
    PrefixRules add(String from, String to) {
        rules.add(new Rule(from, to, false));
        return this;
    }

    /** The key {@code from} becomes {@code to}. */
    PrefixRules addExact(String from, String to) {
        rules.add(new Rule(from, to, true));
        return this;
    }

    /** The renamed key, or the key itself when no rule applies. */
    String apply(String key) {
        for (Rule rule : rules) {
            if (rule.exact() ? key.equals(rule.from()) : key.startsWith(rule.from())) {
                return rule.to() + key.substring(rule.from().length());
            }
        }
        return key;
    }
}
