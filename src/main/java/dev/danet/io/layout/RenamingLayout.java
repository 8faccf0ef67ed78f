package dev.danet.io.layout;

import java.util.Set;
import java.util.function.Predicate;

/**
 * A layout whose keys are renamed by fixed prefix rules, whatever else the file holds (every
 * layout but mmsegmentation's, whose head rules depend on which head the keys show).
 *
 * @param id short stable name
 * @param description what the layout is, for messages
 * @param marker which key sets are of this layout
 * @param backboneOnly whether its files hold a backbone only
 * @param alignCornersByDefault the final upsampling its models use
 * @param rules the renaming onto the project's names
 */
record RenamingLayout(String id, String description, Predicate<Set<String>> marker, boolean backboneOnly,
        boolean alignCornersByDefault, PrefixRules rules) implements CheckpointLayout {

    @Override
    public boolean recognises(Set<String> keys) {
        return marker.test(keys);
    }

    @Override
    public String rename(String key, Set<String> keys) {
        return rules.apply(key);
    }
}
