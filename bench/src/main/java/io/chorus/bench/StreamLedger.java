package io.chorus.bench;

import java.util.BitSet;
import java.util.List;

/**
 * Accounts for one AI answer as one receiver sees it: chunks must come with index 0, 1, 2, ... each
 * once; tokens 0..N-1 must all arrive once. A chunk index seen before is a duplicate, one below the
 * highest seen so far is out of order, and indexes never seen below the highest (or after the last) are
 * lost. Confined to the receiving socket's event loop.
 */
public final class StreamLedger {
  private final int expectedTokens;
  private final BitSet chunks = new BitSet();
  private final BitSet tokens = new BitSet();
  private final TokenCodec.Reader reader = new TokenCodec.Reader();
  private final StringBuilder text = new StringBuilder();
  private int maxChunk = -1;
  private long chunkDuplicates;
  private long chunkOutOfOrder;
  private long tokenDuplicates;
  private long firstChunkNanos = -1;
  private boolean completed;
  private boolean failed;
  private boolean contentMatches;
  private int finalChunkCount = -1;

  public StreamLedger(int expectedTokens) {
    this.expectedTokens = expectedTokens;
  }

  /** A chunk; returns the tokens it completed (for latency). */
  public List<TokenCodec.Token> chunk(int index, String delta, long nowNanos) {
    if (firstChunkNanos < 0) {
      firstChunkNanos = nowNanos;
    }
    if (chunks.get(index)) {
      chunkDuplicates++;
      return List.of();
    }
    if (index < maxChunk) {
      chunkOutOfOrder++;
    }
    chunks.set(index);
    maxChunk = Math.max(maxChunk, index);
    text.append(delta);
    List<TokenCodec.Token> complete = reader.feed(delta);
    for (TokenCodec.Token token : complete) {
      if (tokens.get(token.index())) {
        tokenDuplicates++;
      } else {
        tokens.set(token.index());
      }
    }
    return complete;
  }

  /** {@code ai_response_complete}: its content must equal the chunks' text joined in index order. */
  public void completed(String content) {
    completed = true;
    // Out-of-order chunks make the arrival text differ even when nothing was lost: compare only when in order.
    contentMatches = content != null && chunkOutOfOrder == 0 && content.contentEquals(text);
    finalChunkCount = maxChunk + 1;
  }

  public void failed() {
    failed = true;
  }

  public boolean ended() {
    return completed || failed;
  }

  public boolean completedOk() {
    return completed;
  }

  public boolean contentMatches() {
    return contentMatches;
  }

  public long firstChunkNanos() {
    return firstChunkNanos;
  }

  public long chunksReceived() {
    return chunks.cardinality();
  }

  /** Chunk indexes below the highest seen that never came. */
  public long chunksLost() {
    return (maxChunk + 1) - chunks.cardinality();
  }

  public long chunkDuplicates() {
    return chunkDuplicates;
  }

  public long chunkOutOfOrder() {
    return chunkOutOfOrder;
  }

  public long tokensReceived() {
    return tokens.cardinality();
  }

  public long tokensLost() {
    return Math.max(0, expectedTokens - tokens.get(0, expectedTokens).cardinality());
  }

  public long tokenDuplicates() {
    return tokenDuplicates;
  }

  public long malformed() {
    return reader.malformed();
  }
}
