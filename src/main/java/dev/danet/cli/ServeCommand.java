package dev.danet.cli;

import dev.danet.DanetException;
import dev.danet.inference.LoadedModel;
import dev.danet.serve.SegmentationService;
import dev.danet.serve.ServedModel;
import dev.danet.serve.ServeOptions;
import dev.danet.serve.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                    + "POST /api/analyze, GET /health; the Open Inference Protocol v2 (/v2/models/NAME/infer), "
                    + "TorchServe's /ping and /predictions/NAME, Prometheus /metrics (see docs/serving.md). Without "
                    + "--weights or --model, the DANet that `./danet demo` trains is used.",
            "",
            "Example: ./danet serve --port 8080, then open http://127.0.0.1:8080/",
            "Two models: ./danet serve --model street=street.danet --model indoor=indoor.pth"
        })
final class ServeCommand implements Callable<Integer> {

    @Mixin
    TrainedModelOptions model;

    @Mixin
    InferenceFlags inference;

    @Option(names = "--model", paramLabel = "NAME=FILE",
            description = "Serve the weights in FILE under NAME (/v2/models/NAME/..., /predictions/NAME); repeat for"
                    + " several models, each with its own inference thread and queue and the same limits. The first"
                    + " model (--weights if given, named after its file) is the one the page and /api/* use. The"
                    + " loading flags (--classes, --head, ...) apply to every model.")
    List<String> modelSpecs = new ArrayList<>();

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
        Map<String, Path> files = modelFiles();
        List<ServedModel> served = new ArrayList<>();
        WebServer server;
        try {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                served.add(serve(file.getKey(), file.getValue(), options));
            }
            server = WebServer.start(served);
            served.forEach(m -> System.err.println("model " + m.name() + ": "
                    + m.service().model().network().config().describe() + " from " + files.get(m.name())
                    + "; inference: " + m.service().options().inference() + ", at most "
                    + m.service().options().windowBudget().maxWindows() + " windows per image"));
        } catch (RuntimeException e) {
            close(served);
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
            close(served);
            stopped.countDown();
        }, "danet-serve-shutdown"));
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

    /**
     * The weights to serve by name, in order: --weights (or, with no --model, the demo's model)
     * named after its file, then each --model NAME=FILE. A malformed or repeated name is one line.
     */
    private Map<String, Path> modelFiles() {
        Map<String, Path> files = new LinkedHashMap<>();
        if (model.weights != null || modelSpecs.isEmpty()) {
            Path weights = model.weightsFile();
            files.put(ServedModel.nameOf(weights), weights);
        }
        for (String spec : modelSpecs) {
            int equals = spec.indexOf('=');
            if (equals < 0) {
                throw new DanetException("--model " + spec + ": expected NAME=FILE, e.g. --model street=street.danet");
            }
            String name = spec.substring(0, equals);
            Path file = Path.of(spec.substring(equals + 1));
            try {
                ServedModel.checkName(name);
            } catch (IllegalArgumentException e) {
                throw new DanetException("--model " + spec + ": " + e.getMessage());
            }
            if (spec.substring(equals + 1).isBlank()) {
                throw new DanetException("--model " + spec + ": no weights file after '='");
            }
            Path before = files.get(name);
            if (before != null) {
                throw new DanetException("--model " + spec + ": the name '" + name + "' is already given to " + before
                        + "; every model needs a name of its own");
            }
            if (!Files.isRegularFile(file)) { // before any model is loaded, which takes a while
                throw new DanetException("--model " + spec + ": " + file + ": no such file");
            }
            files.put(name, file);
        }
        return files;
    }

    /** Loads one model (its own weights in memory) and its service, with its card's inference settings. */
    private ServedModel serve(String name, Path file, ServeOptions options) {
        LoadedModel loaded = LoadedModel.load(file, model.toLoaderOptions(), System.err);
        try {
            ServeOptions own = options.withModelSettings(options.attentionSide(), inference.toOptions(loaded.card()),
                    options.samplesDir());
            return new ServedModel(name, new SegmentationService(loaded, own));
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Stops each model's inference thread and frees its weights. */
    private static void close(List<ServedModel> served) {
        for (ServedModel m : served) {
            m.service().close();
            m.service().model().close();
        }
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
