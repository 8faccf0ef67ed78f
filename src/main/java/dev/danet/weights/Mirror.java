package dev.danet.weights;

import dev.danet.DanetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A server that holds copies of the published files under the publishers' paths, for machines
 * that cannot reach the publishers (or tests): http://mirror/base + /mmsegmentation/v0.5/...
 * A file the publisher serves only to browsers (Google Drive) is looked up as base/FILE_NAME.
 *
 * @param base the mirror's scheme, host, port and optional path prefix, without a trailing '/'
 */
public record Mirror(URI base) {

    public Mirror {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null
                || base.getQuery() != null || base.getFragment() != null) {
            throw new DanetException("--mirror must be an http(s) URL such as http://host:8000/weights, got " + base);
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        base = URI.create(scheme + "://" + base.getRawAuthority() + path);
    }

    public static Mirror parse(String text) {
        try {
            return new Mirror(new URI(text.trim()));
        } catch (URISyntaxException e) {
            throw new DanetException("--mirror must be an http(s) URL, got '" + text + "' (" + e.getReason() + ")");
        }
    }

    /** Where this mirror keeps the entry's file. */
    public URI locate(CatalogueEntry entry) {
        String path = entry.manualDownload() ? "/" + entry.fileName() : entry.url().getRawPath();
        return URI.create(base + path);
    }
}
