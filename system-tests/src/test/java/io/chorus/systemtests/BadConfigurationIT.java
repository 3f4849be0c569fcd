package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.systemtests.support.ServiceProcess;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every service's {@code Main} reads its settings before it joins the cluster ({@code ServiceMain.settings}): a
 * bad value ends the process with status 1 and one line naming the variable, never a stack trace, and no cluster
 * member comes and goes. Each process here exits before it opens a socket.
 */
class BadConfigurationIT {
  /** A cluster of its own, should a service ever get as far as joining one. */
  private final String clusterName = "bad-config-" + UUID.randomUUID();

  @Test
  void aBadGatewaySettingStopsTheGatewayWithTheVariablesName() {
    assertRefused("gateway", io.chorus.gateway.Main.class, "HTTP_PORT", "not-a-port");
    assertRefused("gateway", io.chorus.gateway.Main.class, "CLUSTER_PORT", "0");
  }

  @Test
  void aBadSettingStopsEveryOtherServiceTheSameWay() {
    assertRefused("chat", io.chorus.chat.Main.class, "CLUSTER_PORT", "not-a-port");
    assertRefused("llm-worker", io.chorus.llm.Main.class, "CLUSTER_PORT", "not-a-port");
    assertRefused("storage", io.chorus.storage.Main.class, "CLUSTER_PORT", "not-a-port");
  }

  private void assertRefused(String service, Class<?> main, String variable, String value) {
    ServiceProcess process = ServiceProcess.start("bad-" + service + "-" + variable.toLowerCase(), main,
        Map.of(variable, value, "CLUSTER_NAME", clusterName, "CLUSTER_MEMBERS", "127.0.0.1"));
    try {
      assertThat(process.awaitExit(60)).as("%s's exit status with %s=%s", service, variable, value).isEqualTo(1);
      String output = process.output();
      assertThat(output).as("%s's output", service)
          .contains(service + " failed to start: bad configuration: " + variable)
          .doesNotContain("\tat ")
          .doesNotContain("Exception in thread");
    } finally {
      process.close();
    }
  }
}
