package io.chorus.bench;

import io.chorus.fixtures.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./chorus bench [scenario|all] [options]}: drives a running Chorus ({@code --url}) or a standalone
 * it starts itself, runs the scenarios one after another, prints a summary of each and optionally writes
 * them all as JSON. Exit status 0 when every scenario ran (whatever it measured), 1 when one could not
 * run, 2 for a bad command line, 3 when {@code --check} found a figure beyond its baseline's limit.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    Options options;
    RegressionCheck check = null;
    try {
      String checkFile = checkFile(args);
      if (checkFile != null) {
        check = readCheck(checkFile);
        args = RegressionCheck.effectiveArgs(List.of(args), check.args()).toArray(String[]::new);
        System.out.println("bench: checking against " + checkFile + ": " + String.join(" ", args));
      }
      options = Options.parse(args);
    } catch (Options.HelpRequested e) {
      System.out.print(Options.USAGE);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(new BenchMain.Run(options, check).execute());
  }

  /** The value of {@code --check}, looked for before parsing: its baseline may supply the command line. */
  private static String checkFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--check") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--check=")) {
        return args[i].substring("--check=".length());
      }
    }
    return null;
  }

  private static RegressionCheck readCheck(String file) {
    try {
      return new RegressionCheck(new JsonObject(Files.readString(Path.of(file))), file);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("--check " + file + " cannot be read as a baseline: " + e.getMessage());
    }
  }

  /** One invocation: owns the Vert.x instance, the fake provider and the server it started. */
  private static final class Run {
    private final Options options;
    private final RegressionCheck check;
    private ServerProcess server;
    private FakeProvider provider;
    private Vertx vertx;

    Run(Options options, RegressionCheck check) {
      this.options = options;
      this.check = check;
    }

    int execute() {
      Runtime.getRuntime().addShutdownHook(new Thread(this::stopServer, "bench-stop-server"));
      Integer serverCpu = pinning();
      int loopCount = Math.max(2, Runtime.getRuntime().availableProcessors());
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loopCount));
      EventLoops loops = EventLoops.start(vertx, loopCount);
      LagMonitor lag = new LagMonitor(vertx, loops);
      JsonArray results = new JsonArray();
      int status = 0;
      boolean regressed = false;
      Target target = null;
      try {
        List<URI> urls;
        List<Long> serverPids = options.serverPids();
        boolean wantsProvider = options.scenarios().contains("stream");
        if (options.url() == null) {
          provider = new FakeProvider(vertx, options.tokens(), options.tokensPerSecond());
          String providerUrl = Await.on(provider.start(0, loops), 30);
          urls = List.of(startServer(providerUrl, serverCpu));
          serverPids = List.of(server.pid());
        } else {
          urls = options.urls().stream().map(URI::create).toList();
          if (wantsProvider) {
            provider = new FakeProvider(vertx, options.tokens(), options.tokensPerSecond());
            String providerUrl = Await.on(provider.start(options.providerPort(), loops), 30);
            System.out.println("bench: fake provider at " + providerUrl + " (the server needs LLM_PROVIDER=openai "
                + "LLM_BASE_URL=" + providerUrl + ")");
          }
        }
        target = new Target(vertx, loops, urls, serverPids, options.perSource());
        for (String scenario : options.scenarios()) {
          System.out.println("== " + scenario + " ==");
          try {
            Result result = switch (scenario) {
              case "fanout" -> FanoutScenario.run(target, options, lag);
              case "sweep" -> SweepScenario.run(target, options, lag);
              case "stream" -> StreamScenario.run(target, options, lag, provider);
              case "idle" -> IdleScenario.run(target, options, lag);
              default -> throw new IllegalStateException(scenario);
            };
            System.out.print(result.text());
            JsonObject entry = new JsonObject().put("scenario", scenario).put("result", result.json());
            if (check != null) {
              List<RegressionCheck.Figure> figures = check.judge(scenario, result.json());
              entry.put("check", check.toJson(figures));
              System.out.println("  check against " + options.check() + ":");
              figures.forEach(f -> System.out.println("    " + f.line()));
              if (!figures.stream().allMatch(RegressionCheck.Figure::passed)) {
                System.out.println("  REGRESSION: " + scenario + " has figures beyond the baseline's limits (above)");
                regressed = true;
              }
            }
            results.add(entry);
          } catch (RuntimeException e) {
            status = 1;
            System.out.println("  " + scenario + " could not run: " + e.getMessage());
            results.add(new JsonObject().put("scenario", scenario).put("error", String.valueOf(e.getMessage())));
          }
        }
        if (regressed && status == 0) {
          status = 3;
        }
      } catch (RuntimeException | IOException e) {
        System.err.println("bench: " + e.getMessage());
        status = 1;
      } finally {
        writeJson(results, serverCpu);
        if (target != null) {
          target.close();
        }
        stopServer();
        if (provider != null) {
          provider.stop();
        }
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
            .join();
      }
      return status;
    }

    /**
     * Pins this JVM to --load-cpu (every thread: taskset -a) and returns the CPU for the server, when pinning
     * is asked for, a server is started here, and there are at least two CPUs; else null.
     */
    private Integer pinning() {
      if (!options.pin() || options.url() != null) {
        return null;
      }
      int cpus = Runtime.getRuntime().availableProcessors();
      if (cpus < 2 || options.serverCpu() == options.loadCpu()) {
        System.out.println("bench: not pinning (" + cpus + " CPU(s) available, server CPU " + options.serverCpu()
            + ", load CPU " + options.loadCpu() + ")");
        return null;
      }
      if (!run("taskset", "-a", "-p", "-c", Integer.toString(options.loadCpu()),
          Long.toString(ProcessHandle.current().pid()))) {
        System.out.println("bench: taskset failed: not pinning");
        return null;
      }
      System.out.println("bench: load tool pinned to CPU " + options.loadCpu() + ", server to CPU " + options.serverCpu()
          + " (--no-pin to turn off)");
      if (options.pinPostgres()) {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresPinning::release, "bench-release-postgres"));
        int pinned = PostgresPinning.pin(options.serverCpu());
        System.out.println(pinned > 0
            ? "bench: PostgreSQL (" + pinned + " processes) pinned to CPU " + options.serverCpu() + " with the server"
            : "bench: could not pin PostgreSQL (no local postgres process, or no right to change it)");
      }
      return options.serverCpu();
    }

    /**
     * Each run writes hundreds of thousands of messages: on a database kept from earlier runs the tables and
     * indexes grow run after run and PostgreSQL's share of the work with them, so figures drift (a 60 s fan-out at
     * 4,000 sends/s went from p99 78 to 111 ms over three runs). The standalone creates and migrates the database
     * again on start. Only a database named {@code chorus_bench*} (lower-case letters, digits, '_') is dropped: never
     * one the user pointed at. Two runs at once on one machine would share it (and its port): run one at a time.
     */
    private void startFromAnEmptyDatabase() {
      TestDatabase database = TestDatabase.named(options.pgUri());
      if (options.keepDatabase() || !database.name().matches("chorus_bench[a-z0-9_]*")) {
        System.out.println("bench: keeping what database " + database.name() + " holds");
        return;
      }
      try {
        database.drop();
      } catch (AssertionError | RuntimeException e) {
        System.out.println("bench: could not drop database " + database.name() + ", starting on what it holds: "
            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        return;
      }
      System.out.println("bench: database " + database.name() + " dropped, the standalone starts on an empty one"
          + " (--keep-database to keep it)");
    }

    private URI startServer(String providerUrl, Integer cpu) throws IOException {
      String jar = options.jar() != null ? options.jar() : ServerProcess.findJar();
      if (jar == null || !Files.exists(Path.of(jar))) {
        throw new IllegalStateException("no standalone jar (standalone/target/standalone-*-all.jar): build it or give --jar");
      }
      startFromAnEmptyDatabase();
      server = ServerProcess.start(options, jar, providerUrl, cpu);
      System.out.println("bench: started the standalone (pid " + server.pid() + ", port " + options.port() + ", "
          + options.pgUri() + "), log " + server.log());
      URI url = URI.create("http://127.0.0.1:" + options.port());
      HttpApi probe = new HttpApi(vertx, url);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      try {
        while (true) {
          if (!server.alive()) {
            throw new IllegalStateException("the standalone exited while starting; see " + server.log());
          }
          if (Await.on(probe.ready(), 10)) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the standalone was not ready within 180 s; see " + server.log());
          }
          Await.sleep(500);
        }
      } finally {
        probe.close();
      }
      System.out.println("bench: the standalone is ready");
      return url;
    }

    private synchronized void stopServer() {
      if (server != null && server.alive()) {
        System.out.println("bench: stopping the standalone (pid " + server.pid() + ")");
        server.stop();
      }
    }

    private void writeJson(JsonArray results, Integer serverCpu) {
      if (options.json() == null) {
        return;
      }
      List<String> args = new ArrayList<>(options.scenarios());
      JsonObject json = new JsonObject().put("tool", "chorus bench").put("at", Instant.now().toString())
          .put("scenarios", new JsonArray(args)).put("url", options.url() == null ? "standalone started by bench" : options.url())
          .put("pinned", serverCpu != null).put("options", options.toJson()).put("results", results);
      try {
        Path path = Path.of(options.json());
        if (path.getParent() != null) {
          Files.createDirectories(path.getParent());
        }
        Files.writeString(path, json.encodePrettily());
        System.out.println("bench: results written to " + path);
      } catch (IOException | RuntimeException e) {
        System.err.println("bench: could not write " + options.json() + ": " + e.getMessage());
      }
    }

    private static boolean run(String... command) {
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
