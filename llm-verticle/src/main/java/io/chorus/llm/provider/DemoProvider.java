package io.chorus.llm.provider;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The offline default ({@code LLM_PROVIDER=demo}): no network, no key. It streams a canned answer that
 * says it is a demo and echoes the user's last message, one word per timer tick, so the whole chat path
 * (thinking, chunks, completion, history) can be tried and tested without a model.
 */
public final class DemoProvider implements ChatProvider {
  public static final String PREFIX = "[demo] ";
  private static final Pattern WORD_ENDS = Pattern.compile("(?<=\\s)(?=\\S)");
  private static final int MAX_ECHO = 200;

  private final Vertx vertx;
  private final long delayMs;

  public DemoProvider(Vertx vertx, long delayMs) {
    this.vertx = vertx;
    this.delayMs = delayMs;
  }

  @Override
  public Handle stream(List<ChatTurn> turns, Listener listener) {
    String[] words = WORD_ENDS.split(answerTo(turns));
    Context context = vertx.getOrCreateContext();
    DemoStream stream = new DemoStream(context, words, listener);
    stream.next();
    return stream;
  }

  /** The canned answer; split into words (each keeping its trailing space) it concatenates back exactly. */
  public static String answerTo(List<ChatTurn> turns) {
    String last = "";
    for (ChatTurn turn : turns) {
      if (ChatTurn.USER.equals(turn.role())) {
        last = turn.content();
      }
    }
    String echo = last.strip().replaceAll("\\s+", " ");
    if (echo.length() > MAX_ECHO) {
      echo = echo.substring(0, MAX_ECHO) + "...";
    }
    return PREFIX + "This is the offline demo assistant, not a real model. You said: \"" + echo + "\". "
        + "Set LLM_PROVIDER=openai with LLM_BASE_URL, LLM_API_KEY and LLM_MODEL to talk to a real model.";
  }

  @Override
  public String describe() {
    return "demo(offline, " + delayMs + " ms per word)";
  }

  /** Emits one word per tick on the caller's context. */
  private final class DemoStream implements Handle {
    private final Context context;
    private final String[] words;
    private final Listener listener;
    private int next;
    private long timer = -1;
    private boolean done;

    DemoStream(Context context, String[] words, Listener listener) {
      this.context = context;
      this.words = words;
      this.listener = listener;
    }

    void next() {
      if (delayMs > 0) {
        timer = vertx.setTimer(delayMs, id -> tick());
      } else {
        context.runOnContext(v -> tick());
      }
    }

    private void tick() {
      if (done) {
        return;
      }
      if (next < words.length) {
        listener.onDelta(words[next++]);
        next();
      } else {
        done = true;
        listener.onEnd("stop", null);
      }
    }

    @Override
    public void cancel() {
      done = true;
      vertx.cancelTimer(timer);
    }
  }
}
