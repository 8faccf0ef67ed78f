package dev.danet.serve;

import dev.danet.process.ProcessMemory;
import dev.danet.testing.LauncherEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `danet serve` in a process of its own, started as the launcher starts it (same environment),
 * so that its resident memory is the server's alone and not the test JVM's.
 */
final class ServeProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+?)/\\s");

    private final Process process;
    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeProcess(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts `serve --weights weights --port 0` with the given further flags; its stderr goes to log. */
    static ServeProcess start(Path weights, Path log, String... flags) throws IOException {
        List<String> serve = new ArrayList<>(List.of("--weights", weights.toString()));
        serve.addAll(List.of(flags));
        return start(log, List.of(), serve);
    }

    /**
     * Starts `danet GLOBAL... serve --port 0 SERVE...` (e.g. global {@code --threads 1}, serve
     * {@code --model a=FILE}); its stderr goes to log.
     */
    static ServeProcess start(Path log, List<String> global, List<String> serve) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "dev.danet.cli.Main"));
        command.addAll(global);
        command.addAll(List.of("serve", "--port", "0"));
        command.addAll(serve);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        // What the ./danet launcher sets.
        LauncherEnvironment.apply(builder);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = SERVING.matcher(line + " ");
            if (m.find()) {
                return new ServeProcess(process, URI.create(m.group(1)));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("serve did not start; see " + log);
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
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

    HttpResponse<byte[]> post(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM (what Process.destroy does on Linux) and returns at once. */
    void terminate() {
        process.destroy();
    }

    /** The exit code, waiting at most the given time; -1 if it is still running then. */
    int waitForExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    long residentBytes() {
        return ProcessMemory.residentBytes(process.pid());
    }

    long peakBytes() {
        return ProcessMemory.peakBytes(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
