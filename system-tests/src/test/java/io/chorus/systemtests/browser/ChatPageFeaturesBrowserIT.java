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
 * The page people would choose (issue 18), in Chromium against a two-node cluster: Markdown that renders
 * and never runs, the list pinned to its end, asking the assistant per message, a calm outage that loses and
 * doubles nothing, and the empty states. Each test runs one scenario of {@code src/test/browser/page-features.mjs}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatPageFeaturesBrowserIT {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(120);
  /** A Markdown answer with a code block and HTML in it, streamed in pieces 150 ms apart. */
  private static final List<String> MARKDOWN_ANSWER = List.of("**Here** is ", "some code:\n\n```python\n",
      "print('hi')\n", "```\n\n", "<img src=y onerror=window.__pwned=4>");

  private static final List<String> PACKING_ANSWER = List.of("Here is a **packing list** script:\n\n",
      "```python\nitems = ['passport', 'tickets', 'warm coat']\n", "for item in items:\n    print(f'- {item}')\n```\n\n",
      "Have a good trip!");

  private ClusterHarness cluster;

  @BeforeAll
  void start() {
    String missing = BrowserScript.missingPrerequisite();
    assertThat(missing).as("browser test prerequisites").isNull();
    // The scroll scenario stores 30 messages over HTTP in a row: past the per-user burst (20).
    cluster = ClusterHarness.start(Map.of("CHAT_MESSAGES_BURST", "100"), true);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void markdownRendersWithCodeBlocksAndNoHtmlRuns() throws Exception {
    cluster.provider.answerWith(MARKDOWN_ANSWER, 150);
    assertThat(run("markdown-renders-safely")).isZero();
  }

  @Test
  void theListStaysAtItsEndWhenAnImageLoadsAndOffersNewMessagesWhenScrolledUp() throws Exception {
    assertThat(run("scroll-stays-pinned")).isZero();
  }

  @Test
  void askingTheAssistantIsPerMessage() throws Exception {
    cluster.provider.answerWith(List.of("An ", "answer."), 20);
    assertThat(run("ask-is-per-message")).isZero();
  }

  @Test
  void anOutageShowsACountdownAndQueuedMessagesArriveOnce() throws Exception {
    assertThat(run("outage-queues-and-sends-once")).isZero();
  }

  @Test
  void emptyStatesSayWhatToDo() throws Exception {
    assertThat(run("empty-states")).isZero();
  }

  @Test
  void unreadCountsUpdateLiveAndClearWhenReadInAnotherTab() throws Exception {
    assertThat(run("unread-counts-live-and-cleared-in-another-tab")).isZero();
  }

  /** Twenty deltas 100 ms apart: each answer streams for two seconds, time to stop one in the middle. */
  @Test
  void regenerateAddsANewAnswerAndAStoppedAnswerSaysWhoStoppedIt() throws Exception {
    cluster.provider.answerWith(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "colour" + i + " ").toList(), 100);
    assertThat(run("regenerate-and-stopped-by")).isZero();
  }

  @Test
  void theAssistantAnswersEveryMessageWhenTheConversationSaysSo() throws Exception {
    cluster.provider.answerWith(List.of("Always ", "here."), 20);
    assertThat(run("assistant-answers-every-message")).isZero();
  }

  @Test
  void aDroppedOrPastedFileIsSentWithItsCaption() throws Exception {
    assertThat(run("drop-and-paste-upload-with-caption")).isZero();
  }

  /** Writes target/browser-screenshots/states/*.png; docs/screenshots/ holds a copy made by hand. */
  @Test
  void screenshotsOfEachMainStateAtDesktopAndPhoneWidth() throws Exception {
    cluster.provider.answerWith(PACKING_ANSWER, 20);
    assertThat(run("screenshots")).isZero();
  }

  private int run(String scenario) throws Exception {
    return BrowserScript.run("page-features.mjs", scenario, "http://127.0.0.1:" + cluster.gatewayPort(), Map.of(),
        SCENARIO_TIMEOUT);
  }
}
