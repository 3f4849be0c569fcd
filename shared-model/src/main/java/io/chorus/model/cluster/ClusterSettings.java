package io.chorus.model.cluster;

import io.chorus.model.Env;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hazelcast TCP-IP discovery and event-bus host, from {@code CLUSTER_*}. By default every node binds
 * 127.0.0.1 and looks for peers on ports 5701-5710, so several processes on one machine form one
 * cluster without further settings.
 */
public record ClusterSettings(String host, int port, List<String> members, String name, String publicHost) {
  private static final Pattern PORT_RANGE = Pattern.compile("(.+):(\\d+)-(\\d+)");
  private static final int MAX_RANGE = 100;

  public static ClusterSettings from(Env env) {
    String host = env.string("CLUSTER_HOST", "127.0.0.1");
    int port = env.integer("CLUSTER_PORT", 5701, 1, 65535);
    String membersValue = env.string("CLUSTER_MEMBERS", host + ":" + port + "-" + Math.min(65535, port + 9));
    List<String> members = expandPortRanges(
        Arrays.stream(membersValue.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    return new ClusterSettings(host, port, members, env.string("CLUSTER_NAME", "chorus"),
        env.string("CLUSTER_PUBLIC_HOST", null));
  }

  /**
   * A standalone's cluster ({@code ./chorus up}): without {@code CLUSTER_NAME} a name of its own, and without
   * {@code CLUSTER_MEMBERS} no neighbours to look for, so two standalones on one machine never join each other.
   * Setting {@code CLUSTER_NAME} (and listing this node in the other nodes' {@code CLUSTER_MEMBERS}) lets more
   * gateways or LLM workers join it.
   */
  public static ClusterSettings standalone(Env env) {
    ClusterSettings shared = from(env);
    String name = env.string("CLUSTER_NAME", "chorus-standalone-" + UUID.randomUUID().toString().substring(0, 8));
    List<String> members = env.string("CLUSTER_MEMBERS", null) == null ? List.of() : shared.members();
    return new ClusterSettings(shared.host(), shared.port(), members, name, shared.publicHost());
  }

  /** A loopback cluster with its own name, for tests: nodes of other runs never join it. */
  public static ClusterSettings loopback(String name, int basePort) {
    return new ClusterSettings("127.0.0.1", basePort,
        expandPortRanges(List.of("127.0.0.1:" + basePort + "-" + (basePort + 9))), name, null);
  }

  /**
   * Lists {@code host:from-to} one port at a time: Hazelcast 5.3's TCP-IP member list does not parse
   * port ranges (it fails at start-up with a NumberFormatException).
   */
  static List<String> expandPortRanges(List<String> members) {
    List<String> expanded = new ArrayList<>();
    for (String member : members) {
      Matcher range = PORT_RANGE.matcher(member);
      if (!range.matches()) {
        expanded.add(member);
        continue;
      }
      int from = Integer.parseInt(range.group(2));
      int to = Math.min(Integer.parseInt(range.group(3)), from + MAX_RANGE - 1);
      for (int port = from; port <= to; port++) {
        expanded.add(range.group(1) + ":" + port);
      }
    }
    return List.copyOf(expanded);
  }
}
