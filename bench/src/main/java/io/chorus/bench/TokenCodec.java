package io.chorus.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The fake provider's tokens: {@code <index>@<emitNanos> } (a space ends each). A token is small and
 * self-describing, so the receiving side learns its place in the answer and when the provider emitted it
 * (in this JVM's {@link System#nanoTime()} clock) whatever way the server groups deltas into chunks.
 */
public final class TokenCodec {
  private TokenCodec() {}

  public record Token(int index, long emitNanos) {}

  public static String encode(int index, long emitNanos) {
    return index + "@" + emitNanos + " ";
  }

  /**
   * Reassembles tokens from deltas of one stream: feed each delta in order; complete tokens come out,
   * a token split across deltas waits for its end.
   */
  public static final class Reader {
    private final StringBuilder pending = new StringBuilder();
    private long malformed;

    public List<Token> feed(String delta) {
      pending.append(delta);
      List<Token> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < pending.length(); i++) {
        if (pending.charAt(i) == ' ') {
          Token token = parse(pending.substring(start, i));
          if (token != null) {
            out.add(token);
          } else if (i > start) {
            malformed++;
          }
          start = i + 1;
        }
      }
      pending.delete(0, start);
      return out;
    }

    /** Pieces that were not tokens (the server changed the text). */
    public long malformed() {
      return malformed;
    }

    private static Token parse(String text) {
      int at = text.indexOf('@');
      if (at <= 0) {
        return null;
      }
      try {
        return new Token(Integer.parseInt(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
