package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.gateway.bridge.SocketOutbox.Kind;
import io.chorus.model.events.RoomEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class SocketOutboxTest {
  private static final int BOUND = 1000;

  /** A transport whose writes complete only when the test says the peer has read them. */
  private static final class StalledTransport implements SocketOutbox.Transport {
    final List<Promise<Void>> unread = new ArrayList<>();
    final List<Buffer> written = new ArrayList<>();

    @Override
    public Future<Void> write(Buffer frame) {
      Promise<Void> handedOn = Promise.promise();
      unread.add(handedOn);
      written.add(frame);
      return handedOn.future();
    }

    void peerReadsEverything() {
      unread.forEach(Promise::complete);
      unread.clear();
    }
  }

  private final StalledTransport transport = new StalledTransport();
  private final AtomicInteger slowCalls = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final SocketOutbox outbox = new SocketOutbox(transport, BOUND, dropped, slowCalls::incrementAndGet);

  private static Buffer frame(int bytes) {
    return Buffer.buffer(new byte[bytes]);
  }

  @Test
  void framesCountUntilTheTransportHandsThemOn() {
    assertThat(outbox.offer(frame(300), Kind.REQUIRED)).isTrue();
    assertThat(outbox.offer(frame(300), Kind.REQUIRED)).isTrue();
    assertThat(outbox.queuedBytes()).isEqualTo(600);
    transport.peerReadsEverything();
    assertThat(outbox.queuedBytes()).isZero();
  }

  @Test
  void aRequiredFrameThatWouldPassTheBoundMakesTheSocketSlowOnceAndNothingIsWrittenAfter() {
    outbox.offer(frame(600), Kind.REQUIRED);
    outbox.offer(frame(300), Kind.REQUIRED);
    assertThat(outbox.offer(frame(200), Kind.REQUIRED)).isFalse();
    assertThat(outbox.offer(frame(200), Kind.REQUIRED)).isFalse();
    assertThat(slowCalls).hasValue(1);
    assertThat(outbox.isSlow()).isTrue();
    transport.peerReadsEverything();
    assertThat(outbox.offer(frame(10), Kind.REQUIRED)).as("a slow socket gets nothing more, even drained").isFalse();
    assertThat(transport.written).hasSize(2);
  }

  @Test
  void ephemeralFramesAreDroppedFromHalfTheBoundWithoutClosing() {
    outbox.offer(frame(450), Kind.REQUIRED);
    assertThat(outbox.offer(frame(100), Kind.EPHEMERAL)).isFalse();
    assertThat(dropped.sum()).isEqualTo(1);
    assertThat(outbox.offer(frame(400), Kind.REQUIRED)).as("room was kept for what matters").isTrue();
    assertThat(slowCalls).hasValue(0);
    transport.peerReadsEverything();
    assertThat(outbox.offer(frame(100), Kind.EPHEMERAL)).as("caught up: typing flows again").isTrue();
  }

  @Test
  void aFrameLargerThanTheBoundReachesASocketWithNothingWaiting() {
    assertThat(outbox.offer(frame(5 * BOUND), Kind.REQUIRED)).isTrue();
    assertThat(slowCalls).hasValue(0);
    assertThat(outbox.offer(frame(1), Kind.REQUIRED)).isFalse();
    assertThat(slowCalls).hasValue(1);
  }

  @Test
  void typingAndPresenceAreEphemeralEverythingElseIsRequired() {
    assertThat(RoomFanout.kindOf(new JsonObject().put("type", RoomEvents.USER_TYPING))).isEqualTo(Kind.EPHEMERAL);
    assertThat(RoomFanout.kindOf(new JsonObject().put("type", RoomEvents.USER_JOINED))).isEqualTo(Kind.EPHEMERAL);
    assertThat(RoomFanout.kindOf(new JsonObject().put("type", RoomEvents.USER_LEFT))).isEqualTo(Kind.EPHEMERAL);
    assertThat(RoomFanout.kindOf(new JsonObject().put("type", RoomEvents.NEW_MESSAGE).put("seq", 3)))
        .isEqualTo(Kind.REQUIRED);
    assertThat(RoomFanout.kindOf(new JsonObject().put("type", RoomEvents.AI_RESPONSE_CHUNK)))
        .isEqualTo(Kind.REQUIRED);
    assertThat(RoomFanout.kindOf(new JsonObject().put("type", RoomEvents.MEMBER_LEFT).put("seq", 4)))
        .isEqualTo(Kind.REQUIRED);
  }
}
