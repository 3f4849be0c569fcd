package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the README's commands ({@code ./chorus up}, {@code ./chorus cluster}) run in a checkout as a user
 * runs it from a terminal, its output (standard output and error) kept in a file for the test to read.
 */
public final class ChorusCommand implements AutoCloseable {
  /** Variables of the test's own environment that would steer the command away from its defaults. */
  private static final List<String> SCRUBBED_PREFIXES = List.of("JWT_", "PG_", "HTTP_", "CLUSTER_", "OPS_", "LLM_",
      "NODE_NAME", "JAVA_OPTS");

  private final String description;
  private final Process process;
  private final Path output;

  private ChorusCommand(String description, Process process, Path output) {
    this.description = description;
    this.process = process;
    this.output = output;
  }

  /** Starts {@code ./chorus ARGS} in {@code checkout} with the given settings on top of a clean environment. */
  public static ChorusCommand start(Path checkout, Map<String, String> settings, String... args) {
    try {
      List<String> command = new ArrayList<>(List.of("./chorus"));
      command.addAll(List.of(args));
      Path output = Files.createTempFile(checkout, "chorus-" + args[0] + "-", ".out");
      ProcessBuilder builder = new ProcessBuilder(command).directory(checkout.toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().keySet().removeIf(key -> SCRUBBED_PREFIXES.stream().anyMatch(key::startsWith));
      builder.environment().putAll(settings);
      return new ChorusCommand(String.join(" ", command), builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last non-empty line printed so far. */
  public String lastLine() {
    List<String> lines = output().lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** Waits until the output contains {@code text}; fails at once, with the output, if the command ends first. */
  public void awaitOutput(String text, Duration timeout) {
    Wait.until("'" + text + "' in the output of " + description + ":\n" + tail(), timeout, () -> {
      if (output().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        throw new AssertionError(description + " exited with " + process.exitValue() + " before printing '" + text
            + "':\n" + tail());
      }
      return false;
    });
  }

  /** Waits until {@code condition} holds, failing at once if the command ends first. */
  public void awaitWhileRunning(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    Wait.until(what + " (" + description + ")", timeout, () -> {
      if (!process.isAlive()) {
        throw new AssertionError(description + " exited with " + process.exitValue() + " before " + what + ":\n"
            + tail());
      }
      return condition.getAsBoolean();
    });
  }

  /** Sends a signal by name ({@code TERM}, {@code INT}) to the command's process, as a terminal or init would. */
  public void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The process and everything it started that is still running. */
  public List<ProcessHandle> processTree() {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    return tree;
  }

  /** Waits for the command to end and returns its exit status. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(description + " still runs after " + timeout + ":\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The end of the output, for failure messages (CI keeps no process logs). */
  public String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  /** Kills whatever is left (a failed test must not leave JVMs behind). */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
