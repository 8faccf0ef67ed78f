package dev.danet.serve;

import dev.danet.process.ProcessMemory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Fires N requests at once (all released by one latch, one thread each) at POST /api/segment,
 * or N requests from C clients in a closed loop at any endpoint, and collects status, body and
 * latency of every answer, with the server process's resident memory before and after.
 */
final class LoadRun {

    /** One answer. */
    record Answer(int status, String body, double seconds) {}

    /** What a run measured. */
    record Result(List<Answer> answers, double seconds, long rssBefore, long rssAfter) {

        long count(int status) {
            return answers.stream().filter(a -> a.status() == status).count();
        }

        double percentile(int status, double p) {
            List<Double> s = new ArrayList<>(answers.stream().filter(a -> a.status() == status)
                    .map(Answer::seconds).toList());
            if (s.isEmpty()) {
                return Double.NaN;
            }
            Collections.sort(s);
            return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
        }

        String summary() {
            return String.format(Locale.ROOT, "%d requests in %.2f s: %d x 200 (%.1f/s; latency p50 %.3f s, p95 %.3f s,"
                    + " max %.3f s), %d x 503 (max %.3f s), other %d; RSS %.0f -> %.0f MB", answers.size(), seconds,
                    count(200), count(200) / seconds, percentile(200, 0.5), percentile(200, 0.95), percentile(200, 1.0),
                    count(503), percentile(503, 1.0), answers.size() - count(200) - count(503), rssBefore / 1e6,
                    rssAfter / 1e6);
        }
    }

    private LoadRun() {}

    /** Sends one upload and returns the answer. */
    interface Sender {
        HttpResponse<byte[]> post(String path, byte[] body, String contentType);
    }

    static Result run(TestServer server, byte[] image, int requests) throws Exception {
        return run(server::post, image, requests, ProcessMemory::residentBytes);
    }

    /** A burst at any server; rss reads the resident memory of the server's process. */
    static Result run(Sender server, byte[] image, int requests, LongSupplier rss) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        CountDownLatch go = new CountDownLatch(1);
        long rssBefore = rss.getAsLong();
        List<Future<Answer>> futures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = server.post("/api/segment", image, "image/png");
                return new Answer(r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8),
                        (System.nanoTime() - t0) / 1e9);
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : futures) {
            answers.add(f.get(10, TimeUnit.MINUTES));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(answers, seconds, rssBefore, rss.getAsLong());
    }

    /**
     * {@code requests} requests from {@code clients} clients, each sending its next as soon as its
     * last is answered (a closed loop, as a service calling the model would). Bodies are kept for
     * the answers other than 200 only.
     */
    static Result closedLoop(Supplier<HttpResponse<byte[]>> request, int clients, int requests, LongSupplier rss)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger left = new AtomicInteger(requests);
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        long rssBefore = rss.getAsLong();
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = request.get();
                    String body = r.statusCode() == 200 ? ""
                            : new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
                    answers.add(new Answer(r.statusCode(), body, (System.nanoTime() - t0) / 1e9));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Result(List.copyOf(answers), seconds, rssBefore, rss.getAsLong());
    }
}
