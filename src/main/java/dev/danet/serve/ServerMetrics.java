package dev.danet.serve;

import dev.danet.process.ProcessMemory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * What {@code GET /metrics} reports, in Prometheus' text format (Micrometer's Prometheus
 * registry): requests by endpoint, method and status with a latency histogram, time on the
 * model, the queue, and the process's resident memory.
 */
final class ServerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer inference;

    ServerMetrics(InferenceQueue queue) {
        Gauge.builder("danet_queue_in_flight", queue, InferenceQueue::inFlight)
                .description("requests admitted and not finished: the one on the model plus those waiting")
                .register(registry);
        Gauge.builder("danet_queue_capacity", queue, InferenceQueue::capacity)
                .description("most requests admitted at once").register(registry);
        Gauge.builder("danet_queue_rejected", queue, InferenceQueue::rejected)
                .description("requests refused with 503 since the start").register(registry);
        Gauge.builder("process_resident_memory_bytes", ProcessMemory::residentBytes)
                .description("resident memory of the server process").baseUnit("bytes").register(registry);
        inference = Timer.builder("danet_inference").description("time on the model per request")
                .publishPercentileHistogram().register(registry);
    }

    /** Counts a finished request; {@code endpoint} is the route's pattern, so ids do not make new series. */
    void request(String endpoint, String method, int status, long nanos) {
        Timer.builder("http_server_requests").description("HTTP requests by endpoint, method and status")
                .tag("endpoint", endpoint).tag("method", method).tag("status", Integer.toString(status))
                .publishPercentileHistogram().serviceLevelObjectives()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    void inference(long nanos) {
        inference.record(Duration.ofNanos(nanos));
    }

    /** The text format, version 0.0.4. */
    String scrape() {
        return registry.scrape();
    }
}
