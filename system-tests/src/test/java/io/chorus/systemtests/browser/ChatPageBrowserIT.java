package io.chorus.systemtests.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.systemtests.support.ClusterHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The chat page in a real browser (headless Chromium driven by playwright-core from node), served by the
 * gateway of a two-node cluster with a fresh database and a scripted fake model. Each test runs one
 * scenario of {@code src/test/browser/scenarios.mjs}; screenshots go to {@code target/browser-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatPageBrowserIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(90);
  /** Ten deltas 150 ms apart: the answer streams for over a second, long enough to be seen growing. */
  private static final List<String> STORY = List.of("Once ", "upon ", "a ", "time, ", "a ", "small ", "cluster ",
      "answered ", "every ", "question.");

  private ClusterHarness cluster;

  @BeforeAll
  void start() {
    String missing = BrowserScript.missingPrerequisite();
    assertThat(missing).as("browser test prerequisites").isNull();
    // One scenario stores 55 messages over HTTP in a row to page back through: past the per-user burst (20).
    cluster = ClusterHarness.start(Map.of("CHAT_MESSAGES_BURST", "100"), true);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void twoUsersSeeEachOthersMessages() throws Exception {
    assertThat(run("two-users-chat", Map.of())).isZero();
  }

  @Test
  void theAiAnswerStreamsVisiblyAndCompletes() throws Exception {
    cluster.provider.answerWith(STORY, 150);
    assertThat(run("ai-answer-streams", Map.of("EXPECTED_ANSWER", String.join("", STORY)))).isZero();
  }

  @Test
  void markupInAMessageIsShownAsTextAndNeverRuns() throws Exception {
    assertThat(run("html-is-shown-as-text", Map.of())).isZero();
  }

  @Test
  void theOwnerInvitesByNameAndTheNewcomerPagesBackThroughHistory() throws Exception {
    assertThat(run("invite-and-older-history", Map.of())).isZero();
  }

  @Test
  void afterALostConnectionThePageCatchesUpWithoutDuplicatesOrGaps() throws Exception {
    assertThat(run("reconnect-catches-up", Map.of())).isZero();
  }

  @Test
  void withoutWebSocketTheChatWorksOverXhrStreaming() throws Exception {
    cluster.provider.answerWith(List.of("Fine ", "over ", "XHR."), 20);
    assertThat(run("xhr-fallback", Map.of())).isZero();
  }

  /** Thirty deltas 100 ms apart: time to stop, or reload, in the middle. */
  private static final List<String> SLOW_STORY = java.util.stream.IntStream.range(0, 30)
      .mapToObj(i -> "word" + i + " ").toList();

  @Test
  void stopEndsTheAnswerAndKeepsThePartialTextForEveryone() throws Exception {
    cluster.provider.answerWith(SLOW_STORY, 100);
    assertThat(runMore("stop-keeps-partial-text", Map.of("EXPECTED_ANSWER", String.join("", SLOW_STORY))))
        .isZero();
  }

  @Test
  void aReloadInTheMiddleOfAnAnswerShowsItContinuing() throws Exception {
    cluster.provider.answerWith(SLOW_STORY, 100);
    assertThat(runMore("reload-resumes-answer", Map.of("EXPECTED_ANSWER", String.join("", SLOW_STORY))))
        .isZero();
  }

  @Test
  void anUploadedImageAppearsInTheOtherUsersView() throws Exception {
    assertThat(runMore("uploaded-image-shows-for-the-other-user", Map.of())).isZero();
  }

  @Test
  void thePageShowsWhoIsOnline() throws Exception {
    assertThat(runMore("presence-shows-who-is-online", Map.of())).isZero();
  }

  @Test
  void aMemberWhoLeavesIsShownToTheOthersAndLosesTheConversation() throws Exception {
    assertThat(run("leave-conversation", Map.of())).isZero();
  }

  private int runMore(String scenario, Map<String, String> env) throws Exception {
    return BrowserScript.run("stop-resume-files.mjs", scenario, "http://127.0.0.1:" + cluster.gatewayPort(), env,
        SCENARIO_TIMEOUT);
  }

  private int run(String scenario, Map<String, String> env) throws Exception {
    return BrowserScript.run("scenarios.mjs", scenario, "http://127.0.0.1:" + cluster.gatewayPort(), env,
        SCENARIO_TIMEOUT);
  }
}
