package io.chorus.model.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.Env;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two {@code ./chorus up} on one machine, with default cluster settings, each keep a cluster of their own. */
class StandaloneClusterIT {
  @Test
  void twoStandalonesOnOneMachineDoNotJoinEachOther() throws Exception {
    // The same settings for both, as two checkouts started with the defaults would have (only the port base
    // is moved away from 5701 so the test does not meet a developer's running standalone).
    Env defaults = new Env(Map.of("CLUSTER_PORT", String.valueOf(ThreadLocalRandom.current().nextInt(20_000, 40_000))));
    HazelcastClusterManager first = new HazelcastClusterManager(
        ClusterNode.hazelcastConfig(ClusterSettings.standalone(defaults)));
    HazelcastClusterManager second = new HazelcastClusterManager(
        ClusterNode.hazelcastConfig(ClusterSettings.standalone(defaults)));
    Vertx one = ClusterNode.start(ClusterSettings.standalone(defaults), new VertxOptions(), first)
        .await(60, TimeUnit.SECONDS);
    try {
      Vertx two = ClusterNode.start(ClusterSettings.standalone(defaults), new VertxOptions(), second)
          .await(60, TimeUnit.SECONDS);
      try {
        // Joining happens while a node starts: once both are up, each has seen every member it will find.
        assertThat(first.getNodes()).containsExactly(first.getNodeId());
        assertThat(second.getNodes()).containsExactly(second.getNodeId());
      } finally {
        two.close().await(30, TimeUnit.SECONDS);
      }
    } finally {
      one.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNamedStandaloneKeepsTheMembersItIsGiven() {
    ClusterSettings named = ClusterSettings.standalone(new Env(Map.of(
        "CLUSTER_NAME", "team", "CLUSTER_MEMBERS", "127.0.0.1:5701-5702")));
    assertThat(named.name()).isEqualTo("team");
    assertThat(named.members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
  }
}
