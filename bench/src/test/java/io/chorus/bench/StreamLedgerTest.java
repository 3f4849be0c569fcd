package io.chorus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamLedgerTest {
  private static String tokens(int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < to; i++) {
      text.append(TokenCodec.encode(i, 1_000L + i));
    }
    return text.toString();
  }

  @Test
  void anInOrderStreamIsComplete() {
    StreamLedger ledger = new StreamLedger(4);
    assertThat(ledger.chunk(0, tokens(0, 1), 5)).hasSize(1);
    // one chunk may carry several tokens (the server's chunk window joins deltas)
    assertThat(ledger.chunk(1, tokens(1, 4), 6)).extracting(TokenCodec.Token::index).containsExactly(1, 2, 3);
    ledger.completed(tokens(0, 4));
    assertThat(ledger.tokensLost()).isZero();
    assertThat(ledger.chunksLost()).isZero();
    assertThat(ledger.chunkDuplicates()).isZero();
    assertThat(ledger.chunkOutOfOrder()).isZero();
    assertThat(ledger.contentMatches()).isTrue();
    assertThat(ledger.firstChunkNanos()).isEqualTo(5);
  }

  @Test
  void aMissingChunkIsLostAndItsTokensToo() {
    StreamLedger ledger = new StreamLedger(3);
    ledger.chunk(0, tokens(0, 1), 1);
    ledger.chunk(2, tokens(2, 3), 2);
    ledger.completed(tokens(0, 3));
    assertThat(ledger.chunksLost()).isEqualTo(1);
    assertThat(ledger.tokensLost()).isEqualTo(1);
    assertThat(ledger.contentMatches()).isFalse();
  }

  @Test
  void aRepeatedChunkIsADuplicateAndAddsNoText() {
    StreamLedger ledger = new StreamLedger(2);
    ledger.chunk(0, tokens(0, 1), 1);
    assertThat(ledger.chunk(0, tokens(0, 1), 2)).isEmpty();
    ledger.chunk(1, tokens(1, 2), 3);
    ledger.completed(tokens(0, 2));
    assertThat(ledger.chunkDuplicates()).isEqualTo(1);
    assertThat(ledger.contentMatches()).isTrue();
  }

  @Test
  void aChunkBelowTheHighestSeenIsOutOfOrder() {
    StreamLedger ledger = new StreamLedger(3);
    ledger.chunk(0, tokens(0, 1), 1);
    ledger.chunk(2, tokens(2, 3), 2);
    ledger.chunk(1, tokens(1, 2), 3);
    assertThat(ledger.chunkOutOfOrder()).isEqualTo(1);
    assertThat(ledger.chunksLost()).isZero();
    assertThat(ledger.tokensLost()).isZero();
  }

  @Test
  void aTokenSentTwiceInDifferentChunksIsADuplicateToken() {
    StreamLedger ledger = new StreamLedger(2);
    ledger.chunk(0, tokens(0, 2), 1);
    ledger.chunk(1, tokens(1, 2), 2);
    assertThat(ledger.tokenDuplicates()).isEqualTo(1);
  }
}
