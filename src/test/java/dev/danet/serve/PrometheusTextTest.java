package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser of the Prometheus text format reads a valid exposition and refuses each broken rule. */
class PrometheusTextTest {

    private static final String VALID = """
            # A comment.
            # HELP http_requests_total The total number of HTTP requests,\\nby method.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000
            # TYPE escaped untyped
            escaped{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.05"} 24054
            latency_seconds_bucket{le="0.1"} 33444
            latency_seconds_bucket{le="+Inf"} 144320
            latency_seconds_sum 53423
            latency_seconds_count 144320
            # TYPE rpc_seconds summary
            rpc_seconds{quantile="0.5"} 4773
            rpc_seconds{quantile="0.99"} NaN
            rpc_seconds_sum 1.7560473e+07
            rpc_seconds_count 2693
            """;

    @Test
    void readsTheFormatsOwnExample() {
        Map<String, PrometheusText.Family> families = PrometheusText.parse(VALID);
        assertEquals("counter", families.get("http_requests_total").type());
        assertEquals("The total number of HTTP requests,\nby method.", families.get("http_requests_total").help());
        assertEquals(3, families.get("http_requests_total").find("http_requests_total", Map.of("code", "400"))
                .get(0).value());
        assertEquals("C:\\DIR\\FILE.TXT", families.get("escaped").samples().get(0).labels().get("path"));
        assertEquals("Cannot find file:\n\"FILE.TXT\"", families.get("escaped").samples().get(0).labels().get("error"));
        assertEquals(5, families.get("latency_seconds").samples().size());
        assertTrue(Double.isNaN(families.get("rpc_seconds").find("rpc_seconds", Map.of("quantile", "0.99"))
                .get(0).value()));
    }

    @Test
    void refusesEachBrokenRule() {
        Map<String, String> broken = Map.ofEntries(
                Map.entry("metric name", "1bad 1\n"),
                Map.entry("label name", "m{__reserved=\"x\"} 1\n"),
                Map.entry("unquoted label value", "m{a=x} 1\n"),
                Map.entry("bad escape", "m{a=\"\\t\"} 1\n"),
                Map.entry("unclosed label value", "m{a=\"x} 1\n"),
                Map.entry("repeated label", "m{a=\"x\",a=\"y\"} 1\n"),
                Map.entry("value", "m 1,5\n"),
                Map.entry("timestamp", "m 1 soon\n"),
                Map.entry("second TYPE", "# TYPE m gauge\n# TYPE m gauge\nm 1\n"),
                Map.entry("TYPE after samples", "m 1\n# TYPE m gauge\n"),
                Map.entry("unknown type", "# TYPE m meter\nm 1\n"),
                Map.entry("not grouped", "a 1\nb 1\na{x=\"y\"} 2\n"),
                Map.entry("duplicate sample", "m{a=\"1\"} 1\nm{a=\"1\"} 2\n"),
                Map.entry("no +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"),
                Map.entry("le not ascending", "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n"
                        + "h_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"),
                Map.entry("counts falling", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
                        + "h_sum 1\nh_count 1\n"),
                Map.entry("+Inf is not the count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n"),
                Map.entry("bucket without le", "# TYPE h histogram\nh_bucket 1\n"),
                Map.entry("no final line feed", "m 1"));
        broken.forEach((rule, text) -> assertThrows(PrometheusText.FormatError.class, () -> PrometheusText.parse(text),
                rule));
    }
}
