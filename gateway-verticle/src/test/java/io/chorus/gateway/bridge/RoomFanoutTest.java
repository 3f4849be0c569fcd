package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Addresses;
import io.chorus.model.Bus;
import io.chorus.model.ClientAddresses;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoomFanoutTest {
  private final Vertx services = Vertx.vertx();
  private final RoomFanout fanout = new RoomFanout(new ClusterClient(services), 100);

  /** A socket that keeps the frames it is given, and the rooms it was evicted from. */
  static final class Socket implements RoomFanout.Member {
    final LinkedBlockingQueue<Buffer> frames = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> evictedFrom = new LinkedBlockingQueue<>();
    private final String userId;

    Socket() {
      this("u-" + UUID.randomUUID());
    }

    Socket(String userId) {
      this.userId = userId;
    }

    @Override
    public String userId() {
      return userId;
    }

    @Override
    public void write(Buffer frame, SocketOutbox.Kind kind) {
      frames.add(frame);
    }

    @Override
    public void evicted(String conversationId) {
      evictedFrom.add(conversationId);
    }

    /** The body of the next frame, checked to be the bridge's frame for the room's address. */
    JsonObject nextEvent(String room, long timeoutMs) throws InterruptedException {
      Buffer frame = frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
      if (frame == null) {
        return null;
      }
      JsonObject envelope = frame.toJsonObject();
      assertThat(envelope.getString("type")).isEqualTo("rec");
      assertThat(envelope.getString("address")).isEqualTo(ClientAddresses.room(room));
      return envelope.getJsonObject("body");
    }
  }

  @AfterEach
  void close() throws Exception {
    services.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void oneServiceSideConsumerServesEverySocketOfARoomWithTheSameFrame() throws Exception {
    String room = UUID.randomUUID().toString();
    Socket first = new Socket();
    Socket second = new Socket();
    Socket elsewhere = new Socket();

    fanout.retain(room, 0, first).await(5, TimeUnit.SECONDS);
    fanout.retain(room, 0, second).await(5, TimeUnit.SECONDS);
    fanout.retain(UUID.randomUUID().toString(), 0, elsewhere).await(5, TimeUnit.SECONDS);
    assertThat(fanout.activeRooms()).isEqualTo(2);

    JsonObject event = new JsonObject().put("type", "new_message").put("seq", 1).put("content", "héllo \"you\"");
    services.eventBus().publish(Addresses.conversationEvents(room), event);
    assertThat(first.nextEvent(room, 5_000)).isEqualTo(event);
    assertThat(second.nextEvent(room, 5_000)).isEqualTo(event);
    assertThat(elsewhere.frames).isEmpty();
  }

  @Test
  void aSocketThatLeftGetsNothingMore() throws Exception {
    String room = UUID.randomUUID().toString();
    Socket staying = new Socket();
    Socket leaving = new Socket();
    fanout.retain(room, 0, staying).await(5, TimeUnit.SECONDS);
    fanout.retain(room, 0, leaving).await(5, TimeUnit.SECONDS);

    fanout.release(room, leaving);
    services.eventBus().publish(Addresses.conversationEvents(room), new JsonObject().put("type", "new_message")
        .put("seq", 1));

    assertThat(staying.nextEvent(room, 5_000)).isNotNull();
    assertThat(leaving.frames).isEmpty();
  }

  @Test
  void aMemberWhoLeftGetsTheNoticeThenNothingMoreWhileTheOthersGoOn() throws Exception {
    String room = UUID.randomUUID().toString();
    Socket staying = new Socket("alice");
    Socket bobsPhone = new Socket("bob");
    Socket bobsLaptop = new Socket("bob");
    for (Socket socket : List.of(staying, bobsPhone, bobsLaptop)) {
      fanout.retain(room, 0, socket).await(5, TimeUnit.SECONDS);
    }

    JsonObject removed = new JsonObject().put("type", "member_removed").put("conversationId", room).put("seq", 1)
        .put("userId", "bob").put("username", "bob");
    services.eventBus().publish(Addresses.conversationEvents(room), removed);
    services.eventBus().publish(Addresses.conversationEvents(room), new JsonObject().put("type", "new_message")
        .put("conversationId", room).put("seq", 2));

    for (Socket bob : List.of(bobsPhone, bobsLaptop)) {
      assertThat(bob.nextEvent(room, 5_000)).isEqualTo(removed);
      assertThat(bob.evictedFrom.poll(5, TimeUnit.SECONDS)).isEqualTo(room);
    }
    assertThat(staying.nextEvent(room, 5_000).getString("type")).isEqualTo("member_removed");
    assertThat(staying.nextEvent(room, 5_000).getLong("seq")).isEqualTo(2);
    // seq 2 was delivered to the room after the notice: the evicted sockets were already out.
    assertThat(bobsPhone.frames).isEmpty();
    assertThat(bobsLaptop.frames).isEmpty();
    assertThat(staying.evictedFrom).isEmpty();

    fanout.release(room, bobsPhone);
    fanout.release(room, bobsLaptop);
    assertThat(fanout.activeRooms()).isEqualTo(1);
    fanout.release(room, staying);
    assertThat(fanout.activeRooms()).as("the room goes with its last socket, evicted ones included").isZero();
  }

  @Test
  void anOldNoticeDoesNotEvictASocketThatJoinedAfterIt() throws Exception {
    String room = UUID.randomUUID().toString();
    Socket alice = new Socket("alice");
    Socket rejoined = new Socket("bob");
    fanout.retain(room, 2, alice).await(5, TimeUnit.SECONDS);
    // bob was removed at seq 3 and added again; his new socket joined having read the room up to seq 3, while
    // this gateway had not delivered seq 3 yet.
    fanout.retain(room, 3, rejoined).await(5, TimeUnit.SECONDS);
    services.eventBus().publish(Addresses.conversationEvents(room), new JsonObject().put("type", "member_removed")
        .put("conversationId", room).put("seq", 3).put("userId", "bob"));
    services.eventBus().publish(Addresses.conversationEvents(room), new JsonObject().put("type", "new_message")
        .put("conversationId", room).put("seq", 4));

    assertThat(alice.nextEvent(room, 5_000).getLong("seq")).isEqualTo(3);
    assertThat(alice.nextEvent(room, 5_000).getLong("seq")).isEqualTo(4);
    assertThat(rejoined.nextEvent(room, 5_000).getLong("seq")).isEqualTo(3);
    assertThat(rejoined.nextEvent(room, 5_000).getLong("seq")).as("still in the room").isEqualTo(4);
    assertThat(rejoined.evictedFrom).isEmpty();
  }

  @Test
  void theLastSocketOutDropsTheRoom() throws Exception {
    String room = UUID.randomUUID().toString();
    Socket first = new Socket();
    Socket second = new Socket();
    fanout.retain(room, 0, first).await(5, TimeUnit.SECONDS);
    fanout.retain(room, 0, second).await(5, TimeUnit.SECONDS);

    fanout.release(room, first);
    assertThat(fanout.activeRooms()).isEqualTo(1);
    fanout.release(room, first);
    assertThat(fanout.activeRooms()).as("a second release of one socket counts once").isEqualTo(1);
    fanout.release(room, second);
    assertThat(fanout.activeRooms()).isZero();
    fanout.release(room, second);
    assertThat(fanout.activeRooms()).isZero();
  }

  @Test
  void anEventStoredButNeverDeliveredHereIsReadFromStorageSoonAfterTheRoomOpens() throws Exception {
    String room = UUID.randomUUID().toString();
    // Storage already holds seq 1, whose publication missed this gateway (its subscription was not yet
    // known to the publisher), and nothing later is published to reveal the gap.
    StoredMessage missed = new StoredMessage(UUID.randomUUID().toString(), room, 1, "user", "u", "alice", "hello",
        "c-1", null, null, null, null, null, null, "2026-01-01T00:00:00Z");
    Bus.consume(services.eventBus(), Addresses.STORAGE_MESSAGE_HISTORY,
        query -> Future.succeededFuture(new HistoryPage(
            query.afterSeq() != null && query.afterSeq() < 1 ? List.of(missed) : List.of(), 1)));
    Socket socket = new Socket();

    fanout.retain(room, 0, socket).await(5, TimeUnit.SECONDS);

    JsonObject delivered = socket.nextEvent(room, 10_000);
    assertThat(delivered).isNotNull();
    assertThat(delivered.getLong("seq")).isEqualTo(1);
    assertThat(delivered.getString("content")).isEqualTo("hello");
    // Later catch-ups find it delivered already: it is not repeated.
    assertThat(socket.nextEvent(room, RoomFanout.CATCH_UP_AFTER_MS.get(2) + 1_000)).isNull();
  }
}
