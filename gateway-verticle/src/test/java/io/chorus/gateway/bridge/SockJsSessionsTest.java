package io.chorus.gateway.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SockJsSessionsTest {
  @Test
  void findsTheSessionIdOfTransportUrlsOnly() {
    assertThat(SockJsSessions.sessionIdOf("/eventbus/123/abcdefgh/xhr_send")).isEqualTo("abcdefgh");
    assertThat(SockJsSessions.sessionIdOf("/eventbus/123/abcdefgh/xhr_streaming?token=t")).isEqualTo("abcdefgh");
    assertThat(SockJsSessions.sessionIdOf("/eventbus/websocket?token=t")).isNull();
    assertThat(SockJsSessions.sessionIdOf("/eventbus/info")).isNull();
    assertThat(SockJsSessions.sessionIdOf("/eventbus/123/abcdefgh/unknown")).isNull();
    assertThat(SockJsSessions.sessionIdOf(null)).isNull();
  }

  @Test
  void aSessionTakesRequestsOnlyFromItsOpener() {
    SockJsSessions sessions = new SockJsSessions();
    String send = "/eventbus/000/s1/xhr_send";
    assertThat(sessions.opensSocket("/eventbus/000/s1/xhr_streaming")).isTrue();
    assertThat(sessions.opensSocket(send)).isFalse();
    sessions.opened("/eventbus/000/s1/xhr_streaming?token=a", "alice");
    assertThat(sessions.allows(send, "alice")).isTrue();
    assertThat(sessions.allows(send, "mallory")).isFalse();
    assertThat(sessions.allows("/eventbus/000/s1/xhr", "mallory")).isFalse();
    assertThat(sessions.allows("/eventbus/000/s2/xhr_send", "mallory")).isTrue();
    assertThat(sessions.opensSocket("/eventbus/000/s1/xhr")).isFalse();
    assertThat(sessions.opensSocket("/eventbus/websocket")).isTrue();
    sessions.closed("/eventbus/000/s1/xhr_streaming?token=a");
    assertThat(sessions.open()).isZero();
    assertThat(sessions.allows(send, "mallory")).isTrue();
  }
}
