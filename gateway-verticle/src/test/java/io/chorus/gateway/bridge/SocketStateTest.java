package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class SocketStateTest {
  private final SocketState state = new SocketState("u1", "alice", "s1", new RoomFanoutTest.Socket("u1"), null, Long.MAX_VALUE);

  @Test
  void requestsWaitForRegistrationsInFlight() {
    state.registrationStarted("client.room.a");
    state.registrationStarted("client.room.b");
    Future<Void> settled = state.registrationsSettled();
    assertThat(settled.isComplete()).isFalse();

    state.registrationEnded("client.room.a");
    assertThat(settled.isComplete()).isFalse();
    state.registrationEnded("client.room.b");
    assertThat(settled.succeeded()).isTrue();
    assertThat(state.registrationsSettled().succeeded()).isTrue();
  }

  @Test
  void closingReleasesWaitingRequests() {
    state.registrationStarted("client.room.a");
    Future<Void> settled = state.registrationsSettled();
    state.closed();
    assertThat(settled.succeeded()).isTrue();
  }

  @Test
  void aRoomCountsOncePerSocket() {
    assertThat(state.enterRoom("r")).isTrue();
    assertThat(state.enterRoom("r")).isFalse();
    assertThat(state.leaveRoom("r")).isTrue();
    assertThat(state.leaveRoom("r")).isFalse();
  }

  @Test
  void aDuplicateRegisterDoesNotReleaseRequestsBeforeTheFirstIsLive() {
    state.registrationStarted("client.room.a");
    state.registrationStarted("client.room.a");
    Future<Void> settled = state.registrationsSettled();

    state.registrationEnded("client.room.a"); // the duplicate, refused
    assertThat(settled.isComplete()).isFalse();
    state.registrationEnded("client.room.a"); // the first, now live
    assertThat(settled.succeeded()).isTrue();
  }

  @Test
  void aClosedSocketEntersNoRoom() {
    state.closed();
    assertThat(state.enterRoom("r")).isFalse();
    assertThat(state.rooms()).isEmpty();
  }
}
