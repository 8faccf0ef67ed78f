package dev.danet.serve;

import dev.danet.process.ProcessMemory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * What {@code GET /metrics} reports, in Prometheus' text format (Micrometer's Prometheus
 * registry): requests by endpoint, method, status and model with a latency histogram, time on
 * the model and the queue of each model, and the process's resident memory.
 */
final class ServerMetrics {

    /** The {@code model} label of a request that no model answered (health, metrics, the page's files, 404s). */
    static final String NO_MODEL = "";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    ServerMetrics(ServedModels models) {
        for (ServedModel model : models.all()) {
            InferenceQueue queue = model.service().queue();
            Gauge.builder("danet_queue_in_flight", queue, InferenceQueue::inFlight)
                    .description("requests admitted and not finished: the one on the model plus those waiting")
                    .tag("model", model.name()).register(registry);
            Gauge.builder("danet_queue_capacity", queue, InferenceQueue::capacity)
                    .description("most requests admitted at once").tag("model", model.name()).register(registry);
            Gauge.builder("danet_queue_rejected", queue, InferenceQueue::rejected)
                    .description("requests refused with 503 since the start").tag("model", model.name())
                    .register(registry);
            inferenceTimer(model.name());
        }
        Gauge.builder("process_resident_memory_bytes", ProcessMemory::residentBytes)
                .description("resident memory of the server process").baseUnit("bytes").register(registry);
    }

    private Timer inferenceTimer(String model) {
        return Timer.builder("danet_inference").description("time on the model per request").tag("model", model)
                .publishPercentileHistogram().register(registry);
    }

    /**
     * Counts a finished request; {@code endpoint} is the route's pattern and {@code model} a
     * served model's name or {@link #NO_MODEL}, so neither ids nor unknown names make new series.
     */
    void request(String endpoint, String method, int status, String model, long nanos) {
        Timer.builder("http_server_requests").description("HTTP requests by endpoint, method, status and model")
                .tag("endpoint", endpoint).tag("method", method).tag("status", Integer.toString(status))
                .tag("model", model)
                .publishPercentileHistogram().serviceLevelObjectives()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    /** Time a served model spent on one request. */
    void inference(String model, long nanos) {
        inferenceTimer(model).record(Duration.ofNanos(nanos));
    }

    /** The text format, version 0.0.4. */
    String scrape() {
        return registry.scrape();
    }
}
