package io.chorus.model.streams;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cluster's view of answers being generated. The owning LLM worker registers a stream and records its
 * progress, and holds one lease for all its streams; whoever ends a stream first {@link #claim claims} it,
 * so its final event is published exactly once, whether by the worker (done, cancelled, failed) or by a
 * watchdog after the worker died (its lease ran out). Gateways and the chat service read it for resume
 * snapshots. Every failure, including one of the cluster's maps, comes as a failed future: no method
 * throws.
 *
 * <p>It also counts each user's answers across the cluster: the chat node that takes a question
 * {@link #reserve reserves} a slot for its stream before storing it, and ending the stream (its
 * {@link #claim}) gives the slot back. The count thus lives with the streams themselves, whoever runs them
 * on whichever worker, and heals with them when a worker dies (the watchdog's claim releases it).
 */
public interface StreamRegistry {

  /**
   * Registers a new stream of {@code state.workerId()}, which must hold a lease ({@link #renewLease}) from
   * before; completes once every node can see it.
   */
  Future<Void> register(StreamState state);

  /**
   * Records progress. False when the stream was claimed meanwhile: it is not brought back, and its
   * owner must stop, since someone else published its ending.
   */
  Future<Boolean> update(StreamState state);

  /**
   * Records chunk {@code index} of {@code stream}, whose text is {@code delta}. A registry may send only the
   * delta, so a chunk costs its own bytes rather than the whole text so far: {@code textSoFar} (the text up to
   * and including this chunk) is asked for only when the whole text must go (this default, or a registry that
   * finds an earlier chunk missing), so a writer need not build it for every chunk. {@code stream}'s own index
   * and text are not read. False when the stream was claimed meanwhile.
   */
  default Future<Boolean> append(StreamState stream, long index, String delta, Supplier<String> textSoFar) {
    return update(stream.withProgress(index, textSoFar.get()));
  }

  /**
   * Takes or extends the worker's lease, which covers every stream it runs: one operation however many
   * streams it has. A worker takes it before its first stream and renews it while it lives.
   */
  Future<Void> renewLease(String workerId);

  /**
   * Removes the stream and returns its last state, or null when it was claimed or ended already; gives
   * back the user's slot {@link #reserve reserved} for it.
   */
  Future<StreamState> claim(String streamId);

  Future<StreamState> get(String streamId);

  /** The conversation's streams still being generated. */
  Future<List<StreamState>> ofConversation(String conversationId);

  /**
   * Takes one of {@code userId}'s answer slots for {@code streamId}, atomically across the cluster: false
   * when the user already holds {@code max} (answers reserved, waiting or running, not yet ended). A
   * slot whose stream was never registered (its chat node died between reserving and starting it) lapses
   * on its own after a grace period.
   */
  Future<Boolean> reserve(String userId, String streamId, int max);

  /** Gives back a slot whose stream will not run (the message was not stored, no worker took it). */
  Future<Void> release(String userId, String streamId);

  /** Streams whose worker's lease ran out (the worker is gone or stuck), or that have no owner on record. */
  Future<Set<String>> orphans();
}
