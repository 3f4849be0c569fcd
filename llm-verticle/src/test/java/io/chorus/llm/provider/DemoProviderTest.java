package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.storage.Usage;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The offline provider: timers only, no network. */
@ExtendWith(VertxExtension.class)
class DemoProviderTest {
  private final List<ChatTurn> turns = List.of(ChatTurn.system("sys"), ChatTurn.user("earlier"),
      ChatTurn.assistant("reply"), ChatTurn.user("  How   does\nthis work? "));

  @Test
  void streamsALabelledAnswerWordByWordThatEchoesTheLastUserMessage(Vertx vertx, VertxTestContext test) {
    List<String> deltas = new ArrayList<>();
    vertx.runOnContext(v -> new DemoProvider(vertx, 1).stream(turns, new ChatProvider.Listener() {
      @Override
      public void onDelta(String delta) {
        deltas.add(delta);
      }

      @Override
      public void onEnd(String finishReason, Usage usage) {
        test.verify(() -> {
          String answer = String.join("", deltas);
          assertThat(answer).isEqualTo(DemoProvider.answerTo(turns)).startsWith("[demo] ")
              .contains("You said: \"How does this work?\"");
          assertThat(deltas).hasSizeGreaterThan(10).allSatisfy(d -> assertThat(d).isNotEmpty());
          assertThat(finishReason).isEqualTo("stop");
          assertThat(usage).isNull();
        });
        test.completeNow();
      }

      @Override
      public void onError(Throwable error) {
        test.failNow(error);
      }
    }));
  }

  @Test
  void zeroDelayStillStreamsAsynchronously(Vertx vertx, VertxTestContext test) {
    List<String> deltas = new ArrayList<>();
    vertx.runOnContext(v -> {
      new DemoProvider(vertx, 0).stream(turns, new ChatProvider.Listener() {
        @Override
        public void onDelta(String delta) {
          deltas.add(delta);
        }

        @Override
        public void onEnd(String finishReason, Usage usage) {
          test.verify(() -> assertThat(String.join("", deltas)).isEqualTo(DemoProvider.answerTo(turns)));
          test.completeNow();
        }

        @Override
        public void onError(Throwable error) {
          test.failNow(error);
        }
      });
      test.verify(() -> assertThat(deltas).isEmpty());
    });
  }
}
