package io.chorus.systemtests.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.systemtests.support.ClusterHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page with two assistant profiles (issue 15): the assistant is picked when creating a conversation,
 * shown and switched in the room header, and each answer is labelled with its name. The profiles use the
 * demo provider: this is about the page, AssistantsIT about which model is asked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AssistantsPageBrowserIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(90);

  private ClusterHarness cluster;

  @BeforeAll
  void start() throws IOException {
    String missing = BrowserScript.missingPrerequisite();
    assertThat(missing).as("browser test prerequisites").isNull();
    Path file = Files.createTempFile("assistants", ".json");
    file.toFile().deleteOnExit();
    Files.writeString(file, """
        [{"id": "general", "name": "General", "provider": "demo"},
         {"id": "visa", "name": "Visa expert", "provider": "demo", "systemPrompt": "You are a visa expert."}]""");
    cluster = ClusterHarness.start(Map.of("ASSISTANTS_FILE", file.toString(), "LLM_DEMO_DELAY_MS", "5"), true);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theAssistantIsPickedShownSwitchedAndNamedOnEachAnswer() throws Exception {
    assertThat(BrowserScript.run("assistants.mjs", "pick-and-switch-assistant",
        "http://127.0.0.1:" + cluster.gatewayPort(), Map.of(), SCENARIO_TIMEOUT)).isZero();
  }
}
