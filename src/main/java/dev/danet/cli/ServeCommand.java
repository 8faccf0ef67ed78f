package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.inference.LoadedModel;
import dev.danet.serve.SegmentationService;
import dev.danet.serve.ServeOptions;
import dev.danet.serve.WebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves a model over HTTP, with the web page that shows its attention. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a model over HTTP, with a web page showing its segmentation and attention.",
            "",
            "The page: upload or pick an image, see the segmentation, hover to see any pixel's position "
                    + "attention, toggle CAM channel maps. The API: POST /api/segment?output=json|label|colour|overlay, "
                    + "POST /api/analyze, GET /health (see docs/serving.md). Without --weights, the DANet that `./danet "
                    + "demo` trains is used.",
            "",
            "Example: ./danet serve --port 8080, then open http://127.0.0.1:8080/"
        })
final class ServeCommand implements Callable<Integer> {

    @Mixin
    TrainedModelOptions model;

    @Mixin
    InferenceFlags inference;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0: all).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-upload-mb", defaultValue = "20", paramLabel = "MB",
            description = "Largest upload accepted, in MiB (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--max-pixels", defaultValue = "12000000", paramLabel = "N",
            description = "Largest image accepted, checked from its header (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--max-windows", paramLabel = "N",
            description = "Largest number of model runs (sliding windows over all scales, flips counted) one image may"
                    + " take, checked from its header: a thin strip is padded to whole windows (default: twice what a"
                    + " square image of --max-pixels takes, 200 with the other defaults).")
    Long maxWindows;

    @Option(names = "--body-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Longest time a request body may take to arrive; slower senders get 408 (default:"
                    + " ${DEFAULT-VALUE}).")
    int bodyTimeout;

    @Option(names = "--allow-host", split = ",", paramLabel = "NAME",
            description = "Further host names the server answers to (Host header) and whose pages may post to it"
                    + " (Origin header), e.g. a proxy's name. Always allowed: localhost, 127.0.0.1, ::1 and --host"
                    + " (with 0.0.0.0 or ::, this machine's names and addresses).")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Require this access token on every API call (Authorization: Bearer TOKEN; the page, opened once"
                    + " as /?token=TOKEN, keeps it in a cookie). Also read from the DANET_TOKEN environment variable."
                    + " Without one, a server bound beyond this machine says loudly that it is open.")
    String token;

    @Option(names = "--queue", defaultValue = "8", paramLabel = "N",
            description = "Requests that may wait while one runs on the model; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--queue-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Longest wait for the model before a 503 (default: ${DEFAULT-VALUE}).")
    int queueTimeout;

    @Option(names = "--cache", defaultValue = "8", paramLabel = "N",
            description = "Analysed images kept for the attention endpoints (default: ${DEFAULT-VALUE}).")
    int cache;

    @Option(names = "--attention-size", defaultValue = "512", paramLabel = "N",
            description = "Long side images are resized to (if larger) for the attention features (default: ${DEFAULT-VALUE}).")
    int attentionSize;

    @Option(names = "--samples", paramLabel = "DIR",
            description = "A folder of images the page offers as samples, besides the built-in synthetic scenes.")
    Path samples;

    @Override
    public Integer call() throws InterruptedException {
        ServeOptions options;
        try {
            options = ServeOptions.defaults(port)
                    .withAddress(host, port)
                    .withLimits((long) maxUploadMb << 20, maxPixels, queue, Duration.ofSeconds(queueTimeout))
                    .withRequestBudget(maxWindows == null ? 0 : requirePositive(maxWindows, "--max-windows"),
                            Duration.ofSeconds(requirePositive(bodyTimeout, "--body-timeout")))
                    .withAllowedHosts(allowHosts)
                    .withToken(token != null ? token : System.getenv("DANET_TOKEN"))
                    .withCache(cache, ServeOptions.defaults(port).cacheBytes())
                    .withModelSettings(attentionSize, inference.toOptions(null), samples);
        } catch (IllegalArgumentException e) {
            throw new DanetException(e.getMessage());
        }
        LoadedModel loaded = LoadedModel.load(model.weightsFile(), model.toLoaderOptions(), System.err);
        options = options.withModelSettings(options.attentionSide(), inference.toOptions(loaded.card()),
                options.samplesDir());
        System.err.println("inference: " + options.inference() + "; at most " + options.windowBudget().maxWindows()
                + " windows per image");
        SegmentationService service = new SegmentationService(loaded, options);
        WebServer server;
        try {
            server = WebServer.start(service);
        } catch (RuntimeException e) {
            service.close();
            loaded.close();
            if (e instanceof DanetException) {
                throw e;
            }
            throw new DanetException("cannot serve on " + host + ":" + port + ": " + rootMessage(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM or Ctrl-C: admit nothing more, finish what was admitted (at most the longest a
        // request may take: its body, its wait for the model, a few runs), then stop.
        Duration grace = Duration.ofSeconds(bodyTimeout + queueTimeout + 30L);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("shutting down: finishing the requests in flight (at most " + grace.toSeconds() + " s)");
            if (!server.shutDown(grace)) {
                System.err.println("stopped with requests still in flight after " + grace.toSeconds() + " s");
            }
            service.close();
            loaded.close();
            stopped.countDown();
        }, "danet-serve-shutdown"));
        System.err.println("model: " + loaded.network().config().describe() + " from " + loaded.weights());
        if (options.token() == null && !isLoopback(host)) {
            System.err.println("WARNING: serving on " + host + " without --token: anyone who can reach port "
                    + server.port() + " can use this model and its CPU. Pass --token (or DANET_TOKEN) to require one.");
        }
        System.out.println("serving on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port()
                + "/  (Ctrl-C to stop)");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }

    private static long requirePositive(long value, String flag) {
        if (value < 1) {
            throw new DanetException(flag + " must be positive, got " + value);
        }
        return value;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
