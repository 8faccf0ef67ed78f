package dev.danet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.danet.inference.LoadedModel;
import dev.danet.io.ModelLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A running service on a free loopback port, and a small client for it. */
final class TestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first (default) model and its service. */
    final LoadedModel model;
    final SegmentationService service;
    /** Every model served, by name, in order. */
    final List<ServedModel> served = new ArrayList<>();
    final WebServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    TestServer(Path weights, ServeOptions options) {
        this(Map.of(ServedModel.nameOf(weights), weights), options);
    }

    /** Serves each weights file under its name; the first in the map's order is the default. */
    TestServer(Map<String, Path> models, ServeOptions options) {
        for (Map.Entry<String, Path> m : models.entrySet()) {
            LoadedModel loaded = LoadedModel.load(m.getValue(), ModelLoader.Options.defaults(),
                    new PrintStream(OutputStream.nullOutputStream()));
            served.add(new ServedModel(m.getKey(), new SegmentationService(loaded, options)));
        }
        service = served.get(0).service();
        model = service.model();
        server = WebServer.start(served);
    }

    /** Small limits so that the tests can cross them cheaply. */
    static ServeOptions options(int maxWaiting) {
        return ServeOptions.defaults(0).withLimits(2L << 20, 1_000_000L, maxWaiting, Duration.ofSeconds(60));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<byte[]> post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A status and body read from a raw connection. */
    record RawAnswer(int status, String body) {}

    /**
     * Sends a request over a raw socket, with exactly the given headers (Host included, which
     * Java's HTTP client will not set), and reads the answer up to the connection's end.
     */
    RawAnswer raw(String method, String path, java.util.Map<String, String> headers, byte[] body) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            var out = socket.getOutputStream();
            out.write(head.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(9, 12));
            int bodyStart = answer.indexOf("\r\n\r\n");
            return new RawAnswer(status, bodyStart < 0 ? "" : answer.substring(bodyStart + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(response.body()), e);
        }
    }

    @Override
    public void close() {
        server.close();
        for (ServedModel m : served) {
            m.service().close();
            m.service().model().close();
        }
    }
}
