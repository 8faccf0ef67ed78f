package dev.danet.weights;

import dev.danet.IoProblems;
import dev.danet.DanetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a URL into a ".part" file, resuming an earlier partial file with an HTTP Range
 * request. A cut connection keeps the partial file for the next try; a failed write (e.g. a
 * full disk) deletes it, since its end is then unknown.
 */
public final class ResumableDownload {

    /** Opens the partial file for writing; a test substitutes one that fails like a full disk. */
    @FunctionalInterface
    public interface PartOpener {
        OutputStream open(Path part, boolean append) throws IOException;
    }

    /** Appends, or truncates and starts over. */
    public static final PartOpener FILES = (part, append) -> Files.newOutputStream(part, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final HttpClient client;
    private final PartOpener opener;

    public ResumableDownload() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).version(HttpClient.Version.HTTP_1_1).build(), FILES);
    }

    public ResumableDownload(HttpClient client, PartOpener opener) {
        this.client = client;
        this.opener = opener;
    }

    /** The partial file of a download target. */
    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Downloads url into part, continuing from part's current length when it exists and the
     * server supports ranges. Returns when part holds the whole file.
     */
    public void fetch(URI url, Path part, DownloadProgress progress) {
        long have = sizeOf(part);
        HttpResponse<InputStream> response = send(url, have);
        int status = response.statusCode();
        if (status == 416 && have > 0) {
            // The range starts at or past the end: the partial file may already be whole.
            close(response);
            OptionalLong total = unsatisfiedTotal(response);
            if (total.isPresent() && total.getAsLong() == have) {
                return;
            }
            deleteQuietly(part);
            have = 0;
            response = send(url, 0);
            status = response.statusCode();
        }
        boolean append;
        long total;
        if (status == 206) {
            long[] range = contentRange(url, response);
            if (range[0] != have) {
                close(response);
                throw new DanetException(url + ": the server resumed at byte " + range[0] + " instead of " + have
                        + "; delete " + part + " and try again");
            }
            append = true;
            total = range[1];
        } else if (status == 200) {
            append = false; // no Range sent, or the server ignores it: start over
            have = 0;
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        } else {
            close(response);
            throw new DanetException(url + ": HTTP " + status + statusMeaning(status) + "; nothing was downloaded");
        }
        copy(url, response, part, append, have, total, progress);
    }

    private void copy(URI url, HttpResponse<InputStream> response, Path part, boolean append, long have, long total,
            DownloadProgress progress) {
        long written = have;
        progress.started(have, total);
        try (InputStream in = response.body()) {
            OutputStream out = openPart(part, append);
            try {
                byte[] buffer = new byte[1 << 16];
                while (true) {
                    int n;
                    try {
                        n = in.read(buffer);
                    } catch (IOException e) {
                        throw cut(url, part, written, total, IoProblems.reason(e), out);
                    }
                    if (n < 0) {
                        break;
                    }
                    write(out, buffer, n, part);
                    written += n;
                    progress.advanced(written);
                }
                if (total >= 0 && written < total) {
                    throw cut(url, part, written, total, "the stream ended early", out);
                }
                closePart(out, part);
            } catch (WriteFailed e) {
                closeQuietly(out);
                deleteQuietly(part);
                throw new DanetException(part + ": cannot write (" + e.getMessage() + "); the partial download was"
                        + " deleted, make room and try again", e.getCause());
            }
        } catch (IOException e) {
            // closing the response body failed: the data is already on disk and checked later
        } finally {
            progress.stopped();
        }
    }

    private OutputStream openPart(Path part, boolean append) {
        try {
            Files.createDirectories(part.toAbsolutePath().getParent());
            return opener.open(part, append);
        } catch (IOException e) {
            throw new DanetException(part + ": cannot write (" + IoProblems.reason(e) + ")", e);
        }
    }

    private static void write(OutputStream out, byte[] buffer, int n, Path part) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
    }

    private static void closePart(OutputStream out, Path part) {
        try {
            out.close();
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
    }

    /** A cut connection: keep what arrived, so the next try resumes. */
    private static DanetException cut(URI url, Path part, long written, long total, String why, OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            throw new WriteFailed(e);
        }
        return new DanetException(url + ": connection cut after " + mb(written)
                + (total >= 0 ? " of " + mb(total) : "") + " (" + why + "); the partial download is kept in " + part
                + " and the next try resumes from there");
    }

    private HttpResponse<InputStream> send(URI url, long from) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(60));
        if (from > 0) {
            request.header("Range", "bytes=" + from + "-");
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new DanetException(url + ": cannot connect (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DanetException(url + ": interrupted", e);
        }
    }

    private static long[] contentRange(URI url, HttpResponse<?> response) {
        String header = response.headers().firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches() || "*".equals(m.group(3))) {
            throw new DanetException(url + ": partial answer without a usable Content-Range ('" + header + "')");
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(3))};
    }

    private static OptionalLong unsatisfiedTotal(HttpResponse<?> response) {
        Matcher m = UNSATISFIED_RANGE.matcher(response.headers().firstValue("Content-Range").orElse("").trim());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    private static String statusMeaning(int status) {
        return switch (status) {
            case 401, 403 -> " (access denied)";
            case 404, 410 -> " (no such file on the server)";
            case 429 -> " (too many requests; wait and try again)";
            default -> status >= 500 ? " (server error; try again later)" : "";
        };
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing read from it
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is deleted next
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a leftover .part is resumed or replaced by the next try
        }
    }

    /** A failed write to the partial file, kept apart from a failed read from the network. */
    private static final class WriteFailed extends RuntimeException {
        WriteFailed(IOException cause) {
            super(describe(cause), cause);
        }
    }
}
