package dev.danet.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models of one server by name, in the order given. The first is the default: the page
 * and {@code /api/*} use it, and the server-wide settings (address, body limits, token,
 * allowed hosts) are its {@link ServeOptions}.
 */
final class ServedModels {

    private final Map<String, ServedModel> byName = new LinkedHashMap<>();

    ServedModels(List<ServedModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a server needs at least one model");
        }
        for (ServedModel model : models) {
            if (byName.putIfAbsent(model.name(), model) != null) {
                throw new IllegalArgumentException("two models are named '" + model.name() + "'");
            }
        }
    }

    ServedModel defaultModel() {
        return byName.values().iterator().next();
    }

    List<ServedModel> all() {
        return List.copyOf(byName.values());
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The model of that name, or a 404 problem listing the served ones. */
    ServedModel get(String name) {
        ServedModel model = byName.get(name);
        if (model == null) {
            throw HttpProblem.notFound("no model named '" + Uploads.displayName(name) + "'; this server serves "
                    + String.join(", ", byName.keySet().stream().map(n -> "'" + n + "'").toList()));
        }
        return model;
    }

    /** Upload slots taken now over all models: requests admitted and not yet answered. */
    int uploadsTaken() {
        return byName.values().stream().mapToInt(m -> m.uploads().taken()).sum();
    }

    /** Upload slots plus queue places over all models: the most requests that may be worked on at once. */
    int requestCapacity() {
        return byName.values().stream()
                .mapToInt(m -> m.uploads().capacity() + m.service().queue().capacity()).sum();
    }
}
