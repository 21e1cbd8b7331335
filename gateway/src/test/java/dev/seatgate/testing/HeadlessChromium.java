package dev.seatgate.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium driven through its chromedriver (Selenium): Debian's {@code chromium} and
 * {@code chromium-driver} packages, named by path so that Selenium never looks for, or downloads, a browser or a
 * driver of its own. Without them the tests that need it fail and say what to install; they never skip.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Debian's chromium (package chromium). */
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    /** Debian's chromedriver (package chromium-driver), of the same version. */
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** A narrow laptop: the console must work at this width. */
    private static final String WINDOW = "1000,900";
    /** How long a condition on the page may take (a refresh of the console is every 3 s). */
    public static final Duration PATIENCE = Duration.ofSeconds(15);

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    public static HeadlessChromium start() {
        for (Path binary : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the browser tests need Debian's chromium and"
                        + " chromium-driver packages (scripts/test installs them: apt-get install -y chromium"
                        + " chromium-driver)");
            }
        }
        var options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: Chromium's sandbox refuses to run as root, which CI is.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + WINDOW, "--lang=en-US", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--metrics-recording-only", "--hide-scrollbars");
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log"))
                .build();
        var driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        return new HeadlessChromium(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The element the selector finds, once it is there and shown. */
    public WebElement find(String css) {
        awaitTrue("'" + css + "' shown", () -> visible(css).isPresent());
        return visible(css).orElseThrow();
    }

    /** The first element the selector finds that is shown, if any. */
    public Optional<WebElement> visible(String css) {
        try {
            return driver.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst();
        } catch (WebDriverException stale) {
            return Optional.empty();
        }
    }

    /** The text of the shown element, or "" while there is none. */
    public String text(String css) {
        return visible(css).map(WebElement::getText).orElse("");
    }

    /** Waits until the condition holds, else fails with what the page showed and what its console logged. */
    public void awaitTrue(String what, Supplier<Boolean> condition) {
        if (!Await.until(PATIENCE, Duration.ofMillis(100), () -> Boolean.TRUE.equals(condition.get()))) {
            throw new AssertionError("not within " + PATIENCE + ": " + what + "\n--- page:\n" + pageText()
                    + "\n--- browser console:\n" + consoleLog());
        }
    }

    /** Waits until the shown element's text is exactly {@code expected}. */
    public void awaitText(String css, String expected) {
        awaitTrue("'" + css + "' reads '" + expected + "' (it reads '" + text(css) + "')",
                () -> expected.equals(text(css)));
    }

    public Object script(String javaScript, Object... arguments) {
        return driver.executeScript(javaScript, arguments);
    }

    public String pageText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (WebDriverException e) {
            return "(no page: " + e.getMessage() + ")";
        }
    }

    public String consoleLog() {
        try {
            return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString)
                    .collect(Collectors.joining("\n"));
        } catch (WebDriverException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * A PNG of the window into {@code directory/name.png} when the system property {@code console.screenshots} names
     * a directory (the README's pictures); otherwise nothing, so that test runs do not rewrite tracked files.
     */
    public void screenshot(String name) {
        String directory = System.getProperty("console.screenshots", "");
        if (directory.isBlank()) {
            return;
        }
        try {
            Path dir = Files.createDirectories(Path.of(directory));
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
