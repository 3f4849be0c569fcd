package io.chorus.llm;

import io.chorus.model.Timers;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.streams.StreamRegistry;
import io.chorus.model.streams.StreamState;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way of an answer's text from the provider to the room: deltas are paced by a
 * {@link ChunkCoalescer}; each chunk is first recorded in the {@link StreamRegistry} (its delta appended to
 * the text so far, where the registry keeps it) and only then published with the next index, so the
 * registry never lags what reached the room (a dead worker's partial answer is stored from it, resume
 * snapshots are read from it). While a registry write is in flight, further text waits and goes out as one
 * chunk.
 *
 * <p>Confined to the stream's context; not thread-safe.
 */
final class ChunkPipeline {
  private static final Logger log = LoggerFactory.getLogger(ChunkPipeline.class);

  private final StreamRegistry registry;
  private final Consumer<JsonObject> publish;
  private final ChunkCoalescer coalescer;
  private final Runnable onClaimedElsewhere;
  private final StreamMeters meters;
  /** When the oldest text not yet published arrived from the provider; 0 when all is published. */
  private long waitingSince;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder unsent = new StringBuilder();
  /** The stream's facts; its progress (index, text) is {@link #state()}'s, built when asked, not per chunk. */
  private StreamState stream;
  private long nextIndex;
  private int sentChars;
  private boolean recording;
  private boolean claimedElsewhere;
  private Promise<Void> allSent = Promise.promise();

  /**
   * {@code onClaimedElsewhere} runs once if a progress write finds the stream claimed: a watchdog or a
   * chat node ended it (believing this worker gone) and published its ending, so nothing more may follow.
   */
  ChunkPipeline(StreamState initial, StreamRegistry registry, Consumer<JsonObject> publish, long windowMs,
      Timers scheduler, Runnable onClaimedElsewhere, StreamMeters meters) {
    this.meters = meters;
    this.stream = initial;
    this.registry = registry;
    this.publish = publish;
    this.onClaimedElsewhere = onClaimedElsewhere;
    this.coalescer = new ChunkCoalescer(windowMs, scheduler, this::send);
  }

  void add(String delta) {
    if (waitingSince == 0) {
      waitingSince = System.nanoTime();
    }
    text.append(delta);
    coalescer.add(delta);
  }

  /** Runs {@code next} once every delta added so far has been recorded and published. */
  void afterAllSent(Runnable next) {
    coalescer.flush();
    if (!recording) {
      recordAndPublish();
    }
    allSent.future().onComplete(ar -> next.run());
  }

  /** The stream with the chunks recorded (or being recorded) so far. */
  StreamState state() {
    return nextIndex == 0 ? stream : stream.withProgress(nextIndex - 1, text.substring(0, sentChars));
  }

  void promptChars(int chars) {
    stream = stream.withPromptChars(chars);
  }

  /** Everything the provider sent, including text still on its way to the room. */
  String text() {
    return text.toString();
  }

  long chunksSent() {
    return nextIndex;
  }

  private void send(String chunk) {
    unsent.append(chunk);
    if (!recording) {
      recordAndPublish();
    }
  }

  private void recordAndPublish() {
    if (claimedElsewhere) {
      unsent.setLength(0);
    }
    if (unsent.length() == 0) {
      allSent.tryComplete();
      return;
    }
    String chunk = unsent.toString();
    unsent.setLength(0);
    long index = nextIndex++;
    sentChars += chunk.length();
    int charsSoFar = sentChars;
    recording = true;
    if (allSent.future().isComplete()) {
      allSent = Promise.promise(); // a waiter on the current one waits until nothing is unsent
    }
    registry.append(stream, index, chunk, () -> text.substring(0, charsSoFar)).onComplete(ar -> {
      recording = false;
      if (ar.failed()) {
        log.warn("conversation={} stream={} progress not recorded: {}", stream.conversationId(), stream.streamId(),
            ar.cause().getMessage());
      } else if (!ar.result() && !claimedElsewhere) {
        claimedElsewhere = true;
        onClaimedElsewhere.run();
      }
      if (!claimedElsewhere) {
        publish.accept(RoomEvents.aiChunk(stream.conversationId(), stream.streamId(), index, chunk));
        if (waitingSince != 0) {
          meters.tokenLatency(System.nanoTime() - waitingSince);
          // Text that arrived while this chunk was being recorded has waited since about now.
          waitingSince = sentChars < text.length() ? System.nanoTime() : 0;
        }
      }
      recordAndPublish();
    });
  }
}
