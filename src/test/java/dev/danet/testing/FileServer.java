package dev.danet.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file server on a free loopback port for download tests: serves byte arrays by path, answers
 * "Range: bytes=N-" with 206, anything else with 404, records every request, and can cut the
 * connection after a number of bytes (once) as a flaky network does.
 */
public final class FileServer implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String path, String range) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong cutAfter = new AtomicLong(-1);
    private volatile boolean ignoreRange;

    public FileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public FileServer serve(String path, byte[] content) {
        files.put(path, content.clone());
        return this;
    }

    /** The next response stops after this many body bytes and the connection closes. */
    public FileServer cutNextAfter(long bytes) {
        cutAfter.set(bytes);
        return this;
    }

    /** Answer every request with the whole file, as servers without range support do. */
    public FileServer ignoreRange(boolean ignore) {
        ignoreRange = ignore;
        return this;
    }

    /** http://127.0.0.1:PORT, for --mirror. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI uri(String path) {
        return URI.create(base() + path);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range));
        byte[] content = files.get(path);
        if (content == null || !"GET".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        int from = 0;
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches() && !ignoreRange) {
            from = Integer.parseInt(m.group(1));
            if (from >= content.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            exchange.sendResponseHeaders(206, content.length - from);
        } else {
            exchange.sendResponseHeaders(200, content.length);
        }
        long cut = cutAfter.getAndSet(-1);
        int end = cut < 0 ? content.length : (int) Math.min(content.length, from + cut);
        OutputStream body = exchange.getResponseBody();
        body.write(content, from, end - from);
        body.flush();
        // With fewer bytes than announced, closing the exchange drops the connection mid-body.
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
