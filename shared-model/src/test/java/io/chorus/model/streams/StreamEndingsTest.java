package io.chorus.model.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.model.events.RoomEvents;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StreamEndingsTest {
  private static final Usage USAGE = new Usage(10, 2, true);
  private final List<AppendMessage> appended = new ArrayList<>();
  private final Function<AppendMessage, Future<StoredMessage>> store = m -> {
    appended.add(m);
    return Future.succeededFuture(new StoredMessage("m-1", m.conversationId(), 5, m.role(), null, null, m.content(),
        null, m.replyTo(), m.streamId(), m.finishReason(), m.errorCode(), m.error(), m.usage(), null, null, null,
        m.assistantId(), m.model(), m.stoppedBy()));
  };
  private final Function<AppendMessage, Future<StoredMessage>> broken = m -> {
    appended.add(m);
    return Future.failedFuture(new IllegalStateException("database down"));
  };

  private static StreamState state(String text) {
    return new StreamState("s-1", "c-1", "q-1", "u-1", "w-1", text.isEmpty() ? -1 : 0, text, 40);
  }

  @Test
  void aFinishedAnswerIsStoredWithItsReasonAndAnnouncedComplete() {
    StreamEndings.Ending ending =
        StreamEndings.end(state("so far"), StreamOutcome.finished(FinishReason.CANCELLED, USAGE), store).result();

    assertThat(appended).containsExactly(
        AppendMessage.assistant("c-1", "q-1", "s-1", "so far", FinishReason.CANCELLED, USAGE).askedBy("u-1"));
    assertThat(ending.event().getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_COMPLETE);
    assertThat(ending.event().getString("finishReason")).isEqualTo("cancelled");
    assertThat(ending.event().getLong("seq")).isEqualTo(5L);
    assertThat(ending.storeFailure()).isNull();
  }

  @Test
  void aStoppedAnswerIsStoredAndAnnouncedWithWhoStoppedIt() {
    UserInfo bob = new UserInfo("u-2", "bob");
    StreamEndings.Ending ending = StreamEndings.end(state("so far"), StreamOutcome.stopped(USAGE, bob), store).result();

    assertThat(appended).containsExactly(
        AppendMessage.assistant("c-1", "q-1", "s-1", "so far", FinishReason.CANCELLED, USAGE).stoppedBy(bob)
            .askedBy("u-1"));
    assertThat(ending.event().getString("finishReason")).isEqualTo("cancelled");
    assertThat(ending.event().getJsonObject("stoppedBy")).isEqualTo(bob.toJson());
  }

  @Test
  void aFailureKeepsThePartialTextAndAnnouncesItWithTheError() {
    StreamEndings.Ending ending =
        StreamEndings.end(state("part"), StreamOutcome.failed(503, "provider down", USAGE), store).result();

    assertThat(appended).containsExactly(
        AppendMessage.assistantError("c-1", "q-1", "s-1", "part", 503, "provider down", USAGE).askedBy("u-1"));
    JsonObject event = ending.event();
    assertThat(event.getString("type")).isEqualTo(RoomEvents.AI_RESPONSE_ERROR);
    assertThat(event.getString("content")).isEqualTo("part");
    assertThat(event.getInteger("code")).isEqualTo(503);
    assertThat(event.getString("error")).isEqualTo("provider down");
  }

  @Test
  void theAnswerIsStoredAsAskedByTheStreamsAskerNotTheQuestionsAuthor() {
    // A regenerate: bob's stream answers alice's question q-1; its tokens are bob's.
    StreamState bobsRegenerate = new StreamState("s-1", "c-1", "q-1", "bob", "w-1", 0, "again", 40);
    StreamEndings.end(bobsRegenerate, StreamOutcome.finished(FinishReason.STOP, USAGE), store).result();
    StreamEndings.end(bobsRegenerate, StreamOutcome.failed(503, "provider down", USAGE), store).result();

    assertThat(appended).extracting(AppendMessage::askedBy).containsExactly("bob", "bob");
  }

  @Test
  void aFailureBeforeAnyTextStoresNothing() {
    StreamEndings.Ending ending =
        StreamEndings.end(state(""), StreamOutcome.failed(503, "provider down", USAGE), store).result();

    assertThat(appended).isEmpty();
    assertThat(ending.stored()).isNull();
    assertThat(ending.event()).isEqualTo(RoomEvents.aiError("c-1", "s-1", 503, "provider down", null));
  }

  @Test
  void whenStoringFailsTheRoomStillGetsAnEnding() {
    StreamEndings.Ending finished =
        StreamEndings.end(state("all"), StreamOutcome.finished(FinishReason.STOP, USAGE), broken).result();
    assertThat(finished.event()).isEqualTo(RoomEvents.aiError("c-1", "s-1", 503, StreamEndings.NOT_SAVED, null));
    assertThat(finished.storeFailure()).hasMessage("database down");

    StreamEndings.Ending failed =
        StreamEndings.end(state("part"), StreamOutcome.failed(503, "provider down", USAGE), broken).result();
    assertThat(failed.event()).isEqualTo(RoomEvents.aiError("c-1", "s-1", 503, "provider down", null));

    StreamEndings.Ending thrown = StreamEndings.end(state("all"),
        StreamOutcome.finished(FinishReason.LENGTH, USAGE), m -> {
          throw new IllegalStateException("pool closed");
        }).result();
    assertThat(thrown.storeFailure()).hasMessage("pool closed");
  }

  @Test
  void finishReasonsHaveTheContractsNames() {
    assertThat(FinishReason.STOP.wireName()).isEqualTo("stop");
    assertThat(FinishReason.LENGTH.wireName()).isEqualTo("length");
    assertThat(FinishReason.CANCELLED.wireName()).isEqualTo("cancelled");
    assertThat(FinishReason.ERROR.wireName()).isEqualTo("error");
    assertThat(FinishReason.ofProvider("length")).isEqualTo(FinishReason.LENGTH);
    assertThat(FinishReason.ofProvider("content_filter")).isEqualTo(FinishReason.STOP);
    assertThat(FinishReason.ofProvider(null)).isEqualTo(FinishReason.STOP);
    assertThatThrownBy(() -> StreamOutcome.finished(FinishReason.ERROR, USAGE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
