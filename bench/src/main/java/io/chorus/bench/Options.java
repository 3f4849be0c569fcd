package io.chorus.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code ./chorus bench [scenario|all] [options]}, parsed once into typed values.
 * Unknown options and bad numbers stop the tool before anything starts, naming the option.
 */
public record Options(
    List<String> scenarios,
    String url,
    String jar,
    int clients,
    int roomSize,
    int periodMs,
    int durationS,
    int warmupS,
    int drainS,
    int streams,
    int streamMembers,
    int tokensPerSecond,
    int tokens,
    int chunkWindowMs,
    int connections,
    int idleUsers,
    int holdS,
    int sweepStartMs,
    double sweepFactor,
    int sweepSteps,
    int sweepRetries,
    double p99LimitMs,
    boolean pin,
    boolean pinPostgres,
    int serverCpu,
    int loadCpu,
    List<Long> serverPids,
    String json,
    int port,
    String pgUri,
    int providerPort,
    int perSource,
    int slowReaders,
    String check,
    int askSpreadMs,
    boolean keepDatabase) {

  public static final List<String> ALL = List.of("fanout", "stream", "idle", "sweep");
  private static final Set<String> FLAGS = Set.of("--no-pin", "--pin-postgres", "--keep-database", "--help", "-h");
  /** Options that take a value: known up front, so a misspelt one never swallows the next argument. */
  private static final Set<String> VALUED = Set.of("--url", "--jar", "--clients", "--room-size", "--period",
      "--duration", "--warmup", "--drain", "--streams", "--stream-members", "--tokens-per-second", "--tokens", "--chunk-window",
      "--connections", "--idle-users", "--hold", "--sweep-start", "--sweep-factor", "--sweep-steps",
      "--sweep-retries", "--p99-limit", "--server-cpu", "--load-cpu", "--server-pid", "--json", "--port", "--pg-uri",
      "--provider-port", "--per-source", "--slow-readers", "--check", "--ask-spread");

  public static final String USAGE = """
      usage: ./chorus bench [fanout|sweep|stream|idle|all] [options]
        --url URL[,URL...]     a running Chorus: one gateway, or several of one cluster (sockets are
                               spread over them, the HTTP API uses the first); default: start the
                               standalone jar on --port
        --jar PATH             the standalone jar to start (default standalone/target/standalone-*-all.jar)
        --port N               port of the standalone it starts (18080)
        --pg-uri URI           its database (postgresql://postgres@127.0.0.1:5432/chorus_bench); a database
                               named chorus_bench* is dropped first, so every run starts from an empty one
        --keep-database        start on what the database holds from earlier runs instead
        --duration S           seconds of load per run (10)
        --warmup S             unmeasured load first, so JIT and connection pools are warm (3; 0: none)
        --drain S              seconds to wait for late deliveries after the load (5)
        --json FILE            also write the results as JSON
        --check FILE           judge the results against a baseline (docs/bench-baseline.json): each
                               figure within its limit, else exit status 3 naming it; with no scenario
                               on the command line, runs the baseline's own command line
        --no-pin               do not pin server and load to different CPUs
        --server-cpu N --load-cpu N   the CPUs used when pinning (0 and 1)
        --pin-postgres         also put the local PostgreSQL on the server's CPU for the run, so server
                               and database share one core (the issue's comparison); restored after
        --server-pid PID[,PID...]  report CPU and RSS of these processes (with --url; idle sums their memory)
      fanout / sweep:
        --clients C (100)  --room-size K (10)  --period P ms between one client's sends (1000)
        --slow-readers N (0): N more sockets (of members, one room after another) that join and then stop
                           reading; the gateway closes each once SOCKET_QUEUE_BYTES waits for it
        --sweep-start P (1000)  --sweep-factor F: period divided by F each step (1.5)  --sweep-steps N (8)
        --p99-limit MS (100): a sweep step holds when nothing is lost and p99 is at most this
        --sweep-retries N (1): a step that does not hold is run again up to N times before the sweep stops
      stream:
        --streams S (8)  --tokens-per-second T (20)  --tokens N per answer (100)
        --stream-members K (1): members per asker's room; every one of them follows the answer
        --chunk-window MS: LLM_CHUNK_WINDOW_MS of the standalone it starts (0: every token a chunk)
        --ask-spread MS (0): send the S questions evenly over MS milliseconds instead of all at once
        --provider-port N: with --url, the fake provider listens here (18090); start the server with
                           LLM_PROVIDER=openai LLM_BASE_URL=http://127.0.0.1:N/v1
      idle:
        --connections C (1000)  --idle-users U (100)  --hold S seconds held before measuring (10)
        --per-source N (25000): connections per local source address; beyond, 127.0.0.2, .3, ...
      """;

  public static Options parse(String... args) {
    List<String> scenarios = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-")) {
        if (arg.equals("all")) {
          scenarios.addAll(ALL);
        } else if (ALL.contains(arg)) {
          scenarios.add(arg);
        } else {
          throw new IllegalArgumentException("unknown scenario '" + arg + "' (fanout, sweep, stream, idle, all)");
        }
      } else if (FLAGS.contains(arg)) {
        values.put(arg, "true");
      } else {
        String name = arg;
        String value;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          name = arg.substring(0, eq);
        }
        if (!VALUED.contains(name)) {
          throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
        }
        if (eq > 0) {
          value = arg.substring(eq + 1);
        } else {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(arg + " needs a value");
          }
          value = args[++i];
        }
        values.put(name, value);
      }
    }
    if (values.containsKey("--help") || values.containsKey("-h")) {
      throw new HelpRequested();
    }
    if (scenarios.isEmpty()) {
      scenarios.add("fanout");
    }
    Reader r = new Reader(values);
    Options options = new Options(
        List.copyOf(scenarios),
        r.string("--url", null),
        r.string("--jar", null),
        r.integer("--clients", 100, 1, 1_000_000),
        r.integer("--room-size", 10, 1, 10_000),
        r.integer("--period", 1000, 1, 3_600_000),
        r.integer("--duration", 10, 1, 86_400),
        r.integer("--warmup", 3, 0, 3_600),
        r.integer("--drain", 5, 0, 600),
        r.integer("--streams", 8, 1, 100_000),
        r.integer("--stream-members", 1, 1, 1_000),
        r.integer("--tokens-per-second", 20, 1, 100_000),
        r.integer("--tokens", 100, 1, 1_000_000),
        r.integer("--chunk-window", 0, 0, 10_000),
        r.integer("--connections", 1000, 1, 1_000_000),
        r.integer("--idle-users", 100, 1, 100_000),
        r.integer("--hold", 10, 0, 86_400),
        r.integer("--sweep-start", 1000, 1, 3_600_000),
        r.decimal("--sweep-factor", 1.5, 1.01, 100),
        r.integer("--sweep-steps", 8, 1, 100),
        r.integer("--sweep-retries", 1, 0, 10),
        r.decimal("--p99-limit", 100, 0.001, 1_000_000),
        !values.containsKey("--no-pin"),
        values.containsKey("--pin-postgres"),
        r.integer("--server-cpu", 0, 0, 4095),
        r.integer("--load-cpu", 1, 0, 4095),
        r.pids("--server-pid"),
        r.string("--json", null),
        r.integer("--port", 18080, 1, 65535),
        r.string("--pg-uri", "postgresql://postgres@127.0.0.1:5432/chorus_bench"),
        r.integer("--provider-port", 18090, 0, 65535),
        r.integer("--per-source", 25_000, 1, 60_000),
        r.integer("--slow-readers", 0, 0, 100_000),
        r.string("--check", null),
        r.integer("--ask-spread", 0, 0, 600_000),
        values.containsKey("--keep-database"));
    r.rejectUnknown();
    if (options.url != null) {
      for (String url : options.urls()) {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("--url needs http://host:port, got '" + url + "'");
        }
      }
    }
    if (options.clients % options.roomSize != 0) {
      throw new IllegalArgumentException("--clients (" + options.clients + ") must be a multiple of --room-size ("
          + options.roomSize + ")");
    }
    return options;
  }

  /** Every option by its record name, for the JSON report. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    for (RecordComponent c : Options.class.getRecordComponents()) {
      try {
        Object value = c.getAccessor().invoke(this);
        json.put(c.getName(), value instanceof List<?> list ? new JsonArray(List.copyOf(list)) : value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return json;
  }

  /** The gateways of --url, in order. */
  public List<String> urls() {
    return url == null ? List.of() : Arrays.stream(url.split(",")).map(String::trim)
        .filter(u -> !u.isEmpty()).toList();
  }

  /** Sends per second over all clients at a period: C * 1000 / P. */
  public double sendRate(int period) {
    return clients * 1000.0 / period;
  }

  /** {@code --help}: the caller prints {@link #USAGE}. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help", null, false, false);
    }
  }

  /** Takes each option once; whatever is left at the end was misspelt. */
  private static final class Reader {
    private final Map<String, String> values;

    Reader(Map<String, String> values) {
      this.values = new LinkedHashMap<>(values);
      this.values.remove("--no-pin");
      this.values.remove("--pin-postgres");
      this.values.remove("--keep-database");
    }

    String string(String name, String fallback) {
      String value = values.remove(name);
      return value == null ? fallback : value;
    }

    int integer(String name, int fallback, int min, int max) {
      return (int) longValue(name, fallback, min, max);
    }

    long longValue(String name, long fallback, long min, long max) {
      String value = values.remove(name);
      if (value == null) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value.trim());
        if (parsed < min || parsed > max) {
          throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a whole number, got '" + value + "'");
      }
    }

    List<Long> pids(String name) {
      String value = values.remove(name);
      if (value == null) {
        return List.of();
      }
      List<Long> pids = new ArrayList<>();
      for (String part : value.split(",")) {
        try {
          long pid = Long.parseLong(part.trim());
          if (pid < 1) {
            throw new NumberFormatException();
          }
          pids.add(pid);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name + " needs process ids separated by commas, got '" + value + "'");
        }
      }
      return List.copyOf(pids);
    }

    double decimal(String name, double fallback, double min, double max) {
      String value = values.remove(name);
      if (value == null) {
        return fallback;
      }
      try {
        double parsed = Double.parseDouble(value.trim());
        if (!(parsed >= min && parsed <= max)) {
          throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + value);
        }
        return parsed;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
      }
    }

    void rejectUnknown() {
      if (!values.isEmpty()) {
        throw new IllegalArgumentException("unknown option " + values.keySet().iterator().next() + "\n" + USAGE);
      }
    }
  }
}
