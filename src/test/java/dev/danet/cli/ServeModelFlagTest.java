package dev.danet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `serve --model NAME=FILE`: a malformed flag, a bad or repeated name, or a missing file is one
 * line naming it and exit 2, before anything is served. (Two models served side by side:
 * serve.MultiModelServeTest; the flag in a real process: serve.GracefulShutdownTest.)
 */
class ServeModelFlagTest {

    @TempDir
    Path dir;

    @Test
    void aMalformedModelFlagIsOneLineNamingIt() {
        CliRunner.run("serve", "--model", "street.danet").assertOneErrorLine("--model street.danet: expected NAME=FILE");
        CliRunner.run("serve", "--model", "st reet=a.danet").assertOneErrorLine("model name 'st reet' must be");
        CliRunner.run("serve", "--model", "=a.danet").assertOneErrorLine("model name '' must be");
        CliRunner.run("serve", "--model", "street=").assertOneErrorLine("no weights file after '='");
    }

    @Test
    void aNameGivenTwiceIsRefusedBeforeAnyModelLoads() throws Exception {
        Path weights = Files.write(dir.resolve("street.danet"), new byte[0]); // never read: names are checked first
        CliRunner.run("serve", "--model", "a=" + weights, "--model", "a=" + weights)
                .assertOneErrorLine("the name 'a' is already given to " + weights);
        CliRunner.run("serve", "--weights", weights.toString(), "--model", "street=" + weights)
                .assertOneErrorLine("the name 'street' is already given");
    }

    @Test
    void aMissingWeightsFileIsOneLineNamingItBeforeAnyModelLoads() throws Exception {
        Path weights = Files.write(dir.resolve("street.danet"), new byte[0]); // never read: files are checked first
        Path missing = dir.resolve("indoor.danet");
        CliRunner.run("serve", "--port", "0", "--model", "street=" + weights, "--model", "indoor=" + missing)
                .assertOneErrorLine("--model indoor=" + missing + ": " + missing + ": no such file");
    }
}
