package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCodecTest {
  @Test
  void roundTrips() {
    TokenCodec.Reader reader = new TokenCodec.Reader();
    assertThat(reader.feed(TokenCodec.encode(7, 123_456_789_012L)))
        .containsExactly(new TokenCodec.Token(7, 123_456_789_012L));
  }

  @Test
  void aTokenSplitAcrossDeltasWaitsForItsEnd() {
    TokenCodec.Reader reader = new TokenCodec.Reader();
    String token = TokenCodec.encode(3, 99);
    assertThat(reader.feed(token.substring(0, 2))).isEmpty();
    assertThat(reader.feed(token.substring(2) + TokenCodec.encode(4, 100)))
        .containsExactly(new TokenCodec.Token(3, 99), new TokenCodec.Token(4, 100));
  }

  @Test
  void textThatIsNotATokenIsCountedAsMalformed() {
    TokenCodec.Reader reader = new TokenCodec.Reader();
    assertThat(reader.feed("hello " + TokenCodec.encode(0, 1))).containsExactly(new TokenCodec.Token(0, 1));
    assertThat(reader.malformed()).isEqualTo(1);
  }

  @Test
  void messageTextRoundTripsAndIgnoresOtherText() {
    MessageText text = new MessageText("run1", 12, 34, 5_678_901_234L);
    assertThat(MessageText.decode(text.encode())).isEqualTo(text);
    assertThat(MessageText.decode("hello")).isNull();
    assertThat(MessageText.decode("bench a b c d")).isNull();
    assertThat(MessageText.decode(null)).isNull();
  }
}
