package io.chorus.systemtests.support;

import io.chorus.fixtures.Wait;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Chorus service running as its own JVM (the test's classpath, the service's {@code Main}), started
 * and killed by the test like an operator or a crash would.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Pattern OPS_PORT = Pattern.compile("serves /metrics and /health on port (\\d+)");

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ServiceProcess start(String name, Class<?> main, Map<String, String> env) {
    try {
      Path dir = Path.of("target", "processes");
      Files.createDirectories(dir);
      Path log = dir.resolve(name + ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      builder.environment().putIfAbsent("NODE_NAME", name);
      return new ServiceProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the service says it is up (it has joined the cluster and deployed). */
  public ServiceProcess awaitUp() {
    return awaitUp(60);
  }

  /** The same with a bound of its own, for tests that start several JVMs at once on a busy machine. */
  public ServiceProcess awaitUp(long seconds) {
    Wait.until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      return output().contains(" is up");
    }, seconds);
    return this;
  }

  /** The port it serves /metrics and /health on (OPS_PORT=0 picks a free one and logs it). */
  public int opsPort() {
    Matcher port = OPS_PORT.matcher(output());
    if (!port.find()) {
      throw new AssertionError(name + " logged no ops port; see " + log.toAbsolutePath());
    }
    return Integer.parseInt(port.group(1));
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The process's warnings and errors with their stack traces, without Hazelcast's connection chatter: for
   * an assertion's description, since CI shows the failure message but keeps no process logs.
   */
  public String problems() {
    StringBuilder out = new StringBuilder();
    boolean inProblem = false;
    for (String line : output().split("\n")) {
      boolean start = line.contains(" WARN ") || line.contains(" ERROR ");
      if (start) {
        inProblem = !line.contains("c.h.i.") && !line.contains("com.hazelcast");
      } else if (!line.startsWith("\t") && !line.startsWith("Caused by")) {
        inProblem = false;
      }
      if (inProblem && out.length() < 8_000) {
        out.append(line).append('\n');
      }
    }
    return name + " warnings and errors:\n" + out;
  }

  /** Waits for the process to end by itself (a start-up refused); its exit status. */
  public int awaitExit(long seconds) {
    Wait.until(() -> !process.isAlive(), seconds);
    return process.exitValue();
  }

  /** SIGKILL: no shutdown hook, no goodbye to the cluster. */
  public void kill9() {
    process.destroyForcibly();
    Wait.until(() -> !process.isAlive(), 30);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGTERM, as an operator stops a service; SIGKILL if it has not exited after 30 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      Wait.until(() -> !process.isAlive(), 30);
    } catch (AssertionError e) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not stop within 30 s of SIGTERM; killed it", e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", log " + new File(log.toString()).getAbsolutePath() + ")";
  }
}
