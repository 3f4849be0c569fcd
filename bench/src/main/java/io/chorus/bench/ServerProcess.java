package io.chorus.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The standalone Chorus the tool starts when no {@code --url} is given: every service in one JVM on its
 * own port, database and Hazelcast cluster (a private name and port, so it never joins a cluster
 * someone else runs on this machine), optionally pinned to one CPU with {@code taskset}. Its output goes
 * to a log file under {@code data/bench-logs/}.
 */
final class ServerProcess {
  /**
   * The server's JVM unless BENCH_SERVER_JAVA_OPTS says otherwise. MetaspaceSize: the class metadata of a
   * started Chorus passes the JVM's default first threshold (about 21 MB) about a minute after start, and the GC
   * that threshold triggers is a full one (113 ms measured); a higher first threshold avoids it.
   */
  static final String DEFAULT_JAVA_OPTS = "-Xms256m -Xmx1g -XX:MetaspaceSize=128m";

  /** Hazelcast's documented flags for JDK 17, as ./chorus cluster passes them. */
  private static final List<String> HZ_OPTS = List.of("--add-modules", "java.se", "--add-exports",
      "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
      "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Process process;
  private final Path log;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ServerProcess start(Options options, String jar, String llmBaseUrl, Integer cpu) throws IOException {
    List<String> command = new ArrayList<>();
    if (cpu != null) {
      command.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String javaOpts = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", DEFAULT_JAVA_OPTS);
    command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
    command.addAll(HZ_OPTS);
    command.addAll(List.of("-jar", jar));

    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    int clusterPort = 5950 + (int) (ProcessHandle.current().pid() % 40);
    env.put("HTTP_PORT", Integer.toString(options.port()));
    env.put("PG_URI", options.pgUri());
    env.putIfAbsent("JWT_SECRET", UUID.randomUUID() + "-" + UUID.randomUUID());
    // Registration is set-up, not what is measured: the cheapest bcrypt keeps it short.
    env.put("BCRYPT_COST", "4");
    // The idle scenario opens many sockets per user (--connections over --idle-users).
    env.putIfAbsent("MAX_SOCKETS_PER_USER", "100000");
    env.put("LLM_PROVIDER", "openai");
    env.put("LLM_BASE_URL", llmBaseUrl);
    env.put("LLM_API_KEY", "bench");
    env.put("LLM_MODEL", "bench-fake");
    env.put("LLM_CHUNK_WINDOW_MS", Integer.toString(options.chunkWindowMs()));
    // The worker's limits stay Chorus's defaults (issue 17: they hold 1,000 answers at once); set
    // LLM_CONCURRENT_REQUESTS, LLM_MAX_STREAMS or LLM_QUEUE in the environment to measure others.
    env.put("LLM_MAX_TOKENS", Integer.toString(Math.max(1024, options.tokens() * 2)));
    // Each bench client is one user sending on an open-loop schedule (the sweep reaches ~17 sends/s per
    // client): the per-user message limit (5/s, bursts of 20) would shed that load as 429s and measure
    // the limit instead of the server. Raised unless set in the environment.
    env.putIfAbsent("CHAT_MESSAGES_PER_SECOND", "100000");
    env.putIfAbsent("CHAT_MESSAGES_BURST", "100000");
    // Thousands of bench users register and log in from this one address.
    env.putIfAbsent("AUTH_ATTEMPTS_PER_MINUTE", "100000");
    env.putIfAbsent("REGISTRATIONS_PER_HOUR", "100000");
    env.put("OPS_PORT", "-1");
    env.remove("CLUSTER_PUBLIC_HOST");
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.put("CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
    env.put("CLUSTER_NAME", "chorus-bench-" + ProcessHandle.current().pid());

    Path dir = Path.of("data", "bench-logs");
    Files.createDirectories(dir);
    Path log = dir.resolve("server-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ServerProcess(builder.start(), log);
  }

  /** The JVM's pid (taskset execs java, so the started process is the JVM itself). */
  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** SIGTERM (graceful: Vert.x closes and leaves the cluster), SIGKILL after 30 s. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The standalone jar under standalone/target, as the chorus script builds it. */
  static String findJar() {
    File[] found = new File("standalone/target").listFiles((d, name) -> name.startsWith("standalone-")
        && name.endsWith("-all.jar"));
    return found == null || found.length == 0 ? null : found[0].getPath();
  }
}
