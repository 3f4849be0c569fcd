package io.chorus.systemtests.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one browser scenario of {@code src/test/browser} ({@code node <script> <scenario>}, playwright-core
 * driving Debian's Chromium) against a running gateway, copies its output into the test log line by line,
 * and returns its exit code (0: the scenario passed).
 */
final class BrowserScript {
  static final Path DIR = Path.of("src", "test", "browser").toAbsolutePath();
  static final Path SCREENSHOTS = Path.of("target", "browser-screenshots").toAbsolutePath();
  static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

  private BrowserScript() {}

  /** Why the scripts cannot run here, or null when they can. */
  static String missingPrerequisite() {
    if (!Files.isExecutable(CHROMIUM)) {
      return CHROMIUM + " is missing: install Debian's chromium (apt-get install -y chromium; ./chorus test does it)";
    }
    if (!Files.isDirectory(DIR.resolve("node_modules").resolve("playwright-core"))) {
      return "playwright-core is not installed in " + DIR
          + ": run the build through Maven's pre-integration-test phase (npm ci), e.g. mvn verify";
    }
    return null;
  }

  static int run(String script, String scenario, String gatewayUrl, Map<String, String> extraEnv, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of("node", script, scenario))
        .directory(DIR.toFile())
        .redirectErrorStream(true);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CHORUS_URL", gatewayUrl);
    env.put("SCREENSHOT_DIR", SCREENSHOTS.toString());
    env.put("CHROMIUM_PATH", CHROMIUM.toString());
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    env.putAll(extraEnv);
    builder.environment().putAll(env);
    Process process = builder.start();
    Thread pump = new Thread(() -> copyOutput(process, scenario), "browser-" + scenario);
    pump.setDaemon(true);
    pump.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      System.out.println("[browser " + scenario + "] still running after " + timeout + ": stopping it");
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      pump.join(5000);
      return -1;
    }
    pump.join(5000);
    return process.exitValue();
  }

  private static void copyOutput(Process process, String scenario) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        System.out.println("[browser " + scenario + "] " + line);
      }
    } catch (IOException e) {
      System.out.println("[browser " + scenario + "] output ended: " + e.getMessage());
    }
  }
}
