package dev.danet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.synth.PaintedScene;
import dev.danet.synth.SyntheticScenes;
import dev.danet.nn.HeadType;
import dev.danet.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page end to end in headless Chromium (Debian's chromium and chromedriver, found at
 * fixed paths; nothing is downloaded): upload an image, see the overlay, click two pixels and
 * see the position-attention map change, toggle a CAM channel, pick a sample, and see a bad
 * upload refused.
 * Screenshots go to target/browser-test/. Tagged "browser": run with
 * {@code mvn -B test -Pbrowser} (see README).
 */
@Tag("browser")
class BrowserPageTest {

    static final Path CHROMIUM = Path.of(System.getProperty("danet.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("danet.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Path.of("target", "browser-test");

    @TempDir
    static Path dir;

    private static TestServer server;
    private static WebDriver driver;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
        // -Ddanet.browser.weights=FILE shows a real model instead (e.g. for screenshots of the demo's).
        String weights = System.getProperty("danet.browser.weights");
        server = new TestServer(weights != null ? Path.of(weights)
                : TinyModels.save(dir.resolve("tiny.danet"), HeadType.DANET), TestServer.options(4));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1100",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
        try (var old = Files.list(SHOTS)) {
            for (Path shot : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.delete(shot); // screenshots of this run only
            }
        }
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void uploadSeeTheOverlayClickTwoPixelsAndSeeTheAttentionMapChange() throws Exception {
        Path photo = scene(dir.resolve("street.png"));
        driver.get(server.uri("/").toString());
        // On a timeout, say what the page said (its status line shows errors, JavaScript ones too).
        Wait<WebDriver> wait = new WebDriverWait(driver, Duration.ofSeconds(60))
                .withMessage(() -> "page status: " + driver.findElement(By.id("status")).getText());
        wait.until(d -> d.findElements(By.cssSelector("#samples button")).size() >= 4);

        driver.findElement(By.id("file")).sendKeys(photo.toAbsolutePath().toString());
        WebElement view = driver.findElement(By.id("view"));
        wait.until(d -> "ready".equals(view.getAttribute("data-state")));
        assertTrue(driver.findElement(By.id("status")).getText().contains("segmented"));
        assertEquals(256L, js("return document.getElementById('view').width"));
        assertTrue(driver.findElements(By.cssSelector("#legend > span")).size() >= 1, "legend shows classes");
        assertTrue((Boolean) js("const c = document.getElementById('view').getContext('2d');"
                + "const d = c.getImageData(0, 0, 256, 128).data; let s = 0;"
                + "for (let i = 0; i < d.length; i += 4) s += d[i] + d[i + 1] + d[i + 2]; return s > 0;"),
                "the overlay is drawn");
        shot("1-uploaded.png");

        Map<String, String> first = clickAndWait(wait, view, 0.15, 0.25);
        shot("2-first-pixel.png");
        Map<String, String> second = clickAndWait(wait, view, 0.85, 0.8);
        shot("3-second-pixel.png");
        assertNotEquals(first.get("point"), second.get("point"));
        assertNotEquals(first.get("digest"), second.get("digest"), "the attention map changed");
        for (Map<String, String> shown : List.of(first, second)) {
            assertEquals(1.0, Double.parseDouble(shown.get("sum")), 1e-4, "the row shown sums to 1");
        }

        double largest = ((Number) js("return state.row.max")).doubleValue();
        assertTrue(largest < 0.99, "the row shown is not one-hot (largest weight " + largest
                + "), so the square-root view has weak weights to bring out");
        String linear = (String) js("return document.getElementById('attention').toDataURL()");
        driver.findElement(By.id("sqrt")).click();
        wait.until(d -> !linear.equals(js("return document.getElementById('attention').toDataURL()")));

        WebElement channel = driver.findElement(By.cssSelector("#channels input[type=checkbox]"));
        channel.click();
        wait.until(d -> !d.findElements(By.cssSelector("#channel-maps canvas")).isEmpty());
        shot("4-cam-channel.png");

        String firstId = view.getAttribute("data-id");
        driver.findElement(By.cssSelector("#samples button[data-name='synthetic-val-2.png']")).click();
        wait.until(d -> !firstId.equals(view.getAttribute("data-id")) && "ready".equals(view.getAttribute("data-state")));
        assertTrue(driver.findElement(By.id("status")).getText().startsWith("synthetic-val-2.png: 256x128 segmented"));
        shot("5-sample.png");

        Path bad = Files.writeString(dir.resolve("notes.png"), "not a picture");
        driver.findElement(By.id("file")).sendKeys(bad.toAbsolutePath().toString());
        WebElement status = driver.findElement(By.id("status"));
        wait.until(d -> status.getAttribute("class").contains("error"));
        assertTrue(status.getText().contains("notes.png: not an image file"), status.getText());
        shot("6-bad-upload.png");
        assertEquals(200, server.get("/health").statusCode());
    }

    /** Clicks the canvas at a fraction of its shown size; waits until the attention panel shows that point. */
    private Map<String, String> clickAndWait(Wait<WebDriver> wait, WebElement view, double fx, double fy) {
        WebElement attention = driver.findElement(By.id("attention"));
        String before = attention.getAttribute("data-point");
        int width = view.getRect().getWidth();
        int height = view.getRect().getHeight();
        int dx = (int) Math.round(fx * width - width / 2.0);
        int dy = (int) Math.round(fy * height - height / 2.0);
        new Actions(driver).moveToElement(view, dx, dy).click().perform();
        wait.until(d -> {
            String point = attention.getAttribute("data-point");
            return point != null && !point.isEmpty() && !point.equals(before) && point.equals(pinned());
        });
        String[] p = attention.getAttribute("data-point").split(",");
        assertEquals(fx * 256, Integer.parseInt(p[0]), 3, "clicked x");
        assertEquals(fy * 128, Integer.parseInt(p[1]), 3, "clicked y");
        return Map.of("point", attention.getAttribute("data-point"), "digest", attention.getAttribute("data-digest"),
                "sum", attention.getAttribute("data-sum"));
    }

    private String pinned() {
        Object p = js("return state.pinned ? state.pinned.x + ',' + state.pinned.y : ''");
        return String.valueOf(p);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name), ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    private static Path scene(Path file) throws Exception {
        PaintedScene scene = SyntheticScenes.paint(SyntheticScenes.Options.defaults(), "val", 1);
        BufferedImage image = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, scene.width(), scene.height(), scene.rgb(), 0, scene.width());
        ImageIO.write(image, "png", new File(file.toString()));
        return file;
    }
}
