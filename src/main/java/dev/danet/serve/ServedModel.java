package dev.danet.serve;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A model the server serves under a name: its {@link SegmentationService} (its own weights,
 * inference queue and thread, and analysis cache) and its own upload slots, so that one busy
 * model neither queues nor locks out the requests for another. The protocol endpoints name it
 * in their paths ({@code /v2/models/{name}/...}, {@code /predictions/{name}}).
 */
public final class ServedModel {

    /** Names given on the command line: safe in a URL path and in a Prometheus label. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String name;
    private final SegmentationService service;
    private final UploadSlots uploads;

    public ServedModel(String name, SegmentationService service) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a served model needs a name");
        }
        this.name = name;
        this.service = service;
        // Twice the queue: bodies may arrive while the queue is full, so slow senders cannot fill it.
        this.uploads = new UploadSlots(2 * service.queue().capacity());
    }

    /** The model named after its weights file, without the extension(s): {@code street.danet} is {@code street}. */
    public static ServedModel named(SegmentationService service) {
        return new ServedModel(nameOf(service.model().weights()), service);
    }

    /** A weights file's name without the extension(s). */
    public static String nameOf(Path weights) {
        String file = weights.getFileName().toString();
        int dot = file.indexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /**
     * Checks a name given by the user: 1 to 64 letters, digits, '.', '_' or '-', starting with
     * a letter or digit.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name + "' must be 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    public String name() {
        return name;
    }

    public SegmentationService service() {
        return service;
    }

    UploadSlots uploads() {
        return uploads;
    }
}
