package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.danet.nn.HeadType;
import dev.danet.process.ProcessMemory;
import dev.danet.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load test of {@code POST /v2/models/{name}/infer} against `danet serve` in a process of its own
 * (so that its memory is the server's alone): C clients send N requests back to back (a closed
 * loop), and it reports throughput, latency (p50, p90, p99, max) and the server's resident
 * memory (before, after, and its peak during the run). Opt-in, it runs only when asked for:
 *
 * <pre>
 * mvn -B test -Dtest=InferLoadTest -Ddanet.load=out/demo/runs/danet-seed1/model.danet \
 *     -Ddanet.load.requests=500 -Ddanet.load.clients=4
 * </pre>
 *
 * <p>System properties: {@code danet.load} (weights file, or {@code tiny} for a tiny random model),
 * {@code danet.load.requests} (200), {@code danet.load.clients} (4), {@code danet.load.warmup} (5),
 * {@code danet.load.body} ({@code json}: the image in base64, or {@code binary}: the binary tensor
 * data extension both ways), {@code danet.load.image} (an image file; default the server's
 * sample {@code synthetic-val-0.png}), {@code danet.load.threads} (libtorch threads, 2) and
 * {@code danet.load.serve} (further serve flags, e.g. {@code --queue 16}). The report is printed
 * and written to {@code target/infer-load.txt}. It asserts only that every answer is a 200 or a
 * JSON 503 and that the server still answers its health check.
 */
@EnabledIfSystemProperty(named = "danet.load", matches = ".+")
class InferLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void inferUnderLoad() throws Exception {
        String model = System.getProperty("danet.load");
        int requests = Integer.getInteger("danet.load.requests", 200);
        int clients = Integer.getInteger("danet.load.clients", 4);
        int warmup = Integer.getInteger("danet.load.warmup", 5);
        boolean binary = System.getProperty("danet.load.body", "json").equals("binary");
        String threads = System.getProperty("danet.load.threads", "2");
        Path weights = model.equals("tiny") ? TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET) : Path.of(model);
        List<String> serve = new ArrayList<>(List.of("--weights", weights.toString()));
        String extra = System.getProperty("danet.load.serve", "").trim();
        if (!extra.isEmpty()) {
            serve.addAll(Arrays.asList(extra.split("\\s+")));
        }
        String name = ServedModel.nameOf(weights);
        try (ServeProcess server = ServeProcess.start(dir.resolve("serve.log"), List.of("--threads", threads), serve)) {
            String imageFile = System.getProperty("danet.load.image");
            byte[] image = imageFile != null ? Files.readAllBytes(Path.of(imageFile))
                    : server.get("/api/samples/synthetic-val-0.png").body();
            HttpRequest request = binary ? binaryRequest(server, name, image) : jsonRequest(server, name, image);
            Supplier<HttpResponse<byte[]>> send = () -> server.send(request);
            for (int i = 0; i < warmup; i++) {
                HttpResponse<byte[]> r = send.get();
                assertEquals(200, r.statusCode(), new String(r.body()));
            }
            boolean peakReset = resetPeak(server.pid());
            LoadRun.Result run = LoadRun.closedLoop(send, clients, requests, server::residentBytes);
            long peak = server.peakBytes();
            int health = server.get("/health").statusCode();

            String report = String.format(Locale.ROOT, """
                    danet serve (libtorch threads %s%s), POST /v2/models/%s/infer, %s body, image of %d bytes
                    machine: %d cores, load average %s (1, 5, 15 min) at the end
                    %d requests from %d clients (closed loop) after %d warm-up requests, in %.2f s:
                      200: %d (%.2f/s); latency p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s
                      503: %d; other: %d
                    server RSS: %.0f MB before, %.0f MB after; peak %.0f MB %s
                    health after: HTTP %d
                    """, threads, extra.isEmpty() ? "" : ", " + extra, name, binary ? "binary" : "JSON", image.length,
                    Runtime.getRuntime().availableProcessors(), loadAverage(), requests, clients, warmup,
                    run.seconds(), run.count(200), run.count(200) / run.seconds(), run.percentile(200, 0.50),
                    run.percentile(200, 0.90), run.percentile(200, 0.99), run.percentile(200, 1.0), run.count(503),
                    requests - run.count(200) - run.count(503), run.rssBefore() / 1e6, run.rssAfter() / 1e6,
                    peak / 1e6, peakReset ? "during the run" : "since the start (the peak could not be reset)",
                    health);
            System.out.print(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "infer-load.txt"), report);
            assertEquals(requests, run.answers().size());
            for (LoadRun.Answer a : run.answers()) {
                assertTrue(a.status() == 200 || a.status() == 503 && a.body().contains("\"error\""),
                        a.status() + " " + a.body());
            }
            assertTrue(run.count(200) > 0, report);
            assertEquals(200, health, report);
        }
    }

    private static HttpRequest jsonRequest(ServeProcess server, String name, byte[] image) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode input = body.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putArray("data").add(Base64.getEncoder().encodeToString(image));
        body.putArray("outputs").addObject().put("name", "labels");
        return HttpRequest.newBuilder(server.uri("/v2/models/" + name + "/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    }

    /** The image as a binary BYTES element, the labels asked for as binary data. */
    private static HttpRequest binaryRequest(ServeProcess server, String name, byte[] image) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        ObjectNode input = header.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putObject("parameters").put("binary_data_size", 4 + image.length);
        header.putArray("outputs").addObject().put("name", "labels").putObject("parameters").put("binary_data", true);
        byte[] json = JSON.writeValueAsBytes(header);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(image.length).array());
        body.writeBytes(image);
        return HttpRequest.newBuilder(server.uri("/v2/models/" + name + "/infer"))
                .header("Content-Type", "application/octet-stream")
                .header(InferenceProtocols.HEADER_LENGTH, Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    /** Resets another process's peak resident memory (VmHWM) to its current size, where the kernel allows it. */
    private static boolean resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
            return ProcessMemory.peakBytes(pid) > 0;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static String loadAverage() {
        try {
            return String.join(", ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "unknown";
        }
    }
}
