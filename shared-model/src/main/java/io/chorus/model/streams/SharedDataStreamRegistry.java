package io.chorus.model.streams;

import io.chorus.model.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamRegistry} on Vert.x shared data, which is Hazelcast maps (with a backup copy) on a
 * cluster, so a stream's text survives its worker. Six maps: the streams' states as registered; their texts
 * so far ({@link StreamTexts}: changed in place by each chunk, and the one whose removal claims a stream);
 * their owners (stream to worker); the workers' leases (kept with a time-to-live each worker renews, so a dead worker's lease
 * simply expires); an index of the streams of each conversation; and each user's answer slots (stream
 * to the time it was reserved). The index and the slots ({@link StreamSets}) are changed where they live, one
 * {@link IdSetChange} at a time, never read-modify-write, so two chat nodes reserving for one user at once cannot
 * both take the last slot. One lease per worker, not per stream: renewing is one map operation every
 * {@link #RENEW_EVERY_MS} whatever the number of streams, where a put per stream queued up in front of
 * the streams' own progress writes (docs/benchmarks.md).
 */
public final class SharedDataStreamRegistry implements StreamRegistry {
  private static final Logger log = LoggerFactory.getLogger(SharedDataStreamRegistry.class);
  /** A worker renews every {@link #RENEW_EVERY_MS}; a lease not renewed for this long marks it gone. */
  public static final long LEASE_MS = 8_000;
  /** The Hazelcast map of the streams' texts ({@link StreamTexts}), configured by the cluster's nodes. */
  public static final String TEXTS_MAP = StreamTexts.MAP;
  /** The Hazelcast maps of the users' answer slots and the conversations' streams ({@link StreamSets}). */
  public static final String USER_SLOTS_MAP = StreamSets.USER_SLOTS_MAP;
  public static final String CONVERSATION_STREAMS_MAP = StreamSets.CONVERSATION_STREAMS_MAP;
  public static final long RENEW_EVERY_MS = 2_000;
  /**
   * A reserved slot whose stream is not registered this long after it was reserved is taken for lost
   * (its chat node died in between) and no longer counts. Longer than a send's storage and start
   * requests can take together (10 s each), so a slot is never dropped while its question is on its way.
   */
  public static final long RESERVATION_GRACE_MS = 60_000;

  private final Vertx vertx;
  private final long leaseMs;
  private final long reservationGraceMs;
  private final LongSupplier clockMillis;
  private final StreamTexts texts;
  private final StreamSets userSlots;
  private final StreamSets byConversation;

  public SharedDataStreamRegistry(Vertx vertx) {
    this(vertx, LEASE_MS);
  }

  public SharedDataStreamRegistry(Vertx vertx, long leaseMs) {
    this(vertx, leaseMs, RESERVATION_GRACE_MS, System::currentTimeMillis);
  }

  SharedDataStreamRegistry(Vertx vertx, long leaseMs, long reservationGraceMs, LongSupplier clockMillis) {
    this.vertx = vertx;
    this.leaseMs = leaseMs;
    this.reservationGraceMs = reservationGraceMs;
    this.clockMillis = clockMillis;
    this.texts = StreamTexts.of(vertx);
    this.userSlots = StreamSets.of(vertx, StreamSets.USER_SLOTS_MAP);
    this.byConversation = StreamSets.of(vertx, StreamSets.CONVERSATION_STREAMS_MAP);
  }

  private Future<AsyncMap<String, JsonObject>> streams() {
    return map("chorus.streams");
  }

  /** workerId -> workerId, with a time-to-live. */
  private Future<AsyncMap<String, String>> leases() {
    return map("chorus.worker-leases");
  }

  /** streamId -> workerId. */
  private Future<AsyncMap<String, String>> owners() {
    return map("chorus.stream-owners");
  }

  /** Looked up on every call; on a cluster the lookup runs synchronously and may throw, hence the attempt. */
  private <K, V> Future<AsyncMap<K, V>> map(String name) {
    return Futures.attempt(() -> vertx.sharedData().getAsyncMap(name));
  }

  @Override
  public Future<Void> register(StreamState state) {
    // The owner first: a stream is never visible without one, so it is never taken for an orphan (its
    // worker holds a lease from before its first stream). Then its text, so a visible stream always has one
    // until it is claimed.
    return owners().compose(o -> o.put(state.streamId(), state.workerId()))
        .compose(v -> texts.create(state.streamId(), state.promptChars()))
        .compose(v -> streams()).compose(s -> s.put(state.streamId(), state.toJson()))
        .compose(v -> byConversation.change(state.conversationId(), IdSetChange.add(state.streamId(), 0)))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> update(StreamState state) {
    return texts.change(state.streamId(), TextChange.whole(state.index(), state.text(), state.promptChars()))
        .map(outcome -> outcome == TextChange.APPLIED);
  }

  /**
   * Sends the delta only; when the text there lacks an earlier chunk (its recording failed), the whole text
   * instead, so the registry is whole again from this chunk on.
   */
  @Override
  public Future<Boolean> append(StreamState stream, long index, String delta, Supplier<String> textSoFar) {
    return texts.change(stream.streamId(), TextChange.append(index, delta, stream.promptChars()))
        .compose(outcome -> outcome == TextChange.GAP ? update(stream.withProgress(index, textSoFar.get()))
            : Future.succeededFuture(outcome == TextChange.APPLIED));
  }

  @Override
  public Future<Void> renewLease(String workerId) {
    return leases().compose(l -> l.put(workerId, workerId, leaseMs));
  }

  /**
   * Taking the text is the claim: a chunk's {@link TextChange} and the removal meet on the text's key, so a
   * chunk is either recorded before (and part of the text returned) or refused after (its owner stops). The
   * state (written once by {@link #register}, never changed) is read first, so a stream whose registration is
   * still under way is not taken half-made: it stays claimable. Once the text is taken the stream is claimed,
   * whatever happens to the clean-up after (state, owner, index, the user's slot): a failed removal must not
   * leave an answer that nobody can end.
   */
  @Override
  public Future<StreamState> claim(String streamId) {
    return streams().compose(s -> s.get(streamId)).compose(json -> {
      if (json == null) {
        return Future.succeededFuture(null);
      }
      return texts.take(streamId).compose(text -> {
        if (text == null) {
          return Future.succeededFuture(null); // claimed already, by the owner or another node
        }
        StreamState state = text.onto(StreamState.fromJson(json));
        return cleanUp(streamId, "state", streams().compose(s -> s.remove(streamId)))
            .compose(v -> cleanUp(streamId, "owner", owners().compose(o -> o.remove(streamId))))
            .compose(v -> cleanUp(streamId, "index entry",
                byConversation.change(state.conversationId(), IdSetChange.remove(streamId))))
            .compose(v -> state.userId() == null ? Future.<Void>succeededFuture()
                : cleanUp(streamId, "user's answer slot", release(state.userId(), streamId)))
            .map(state);
      });
    });
  }

  /** One step of a claimed stream's clean-up: logged when it fails, never failing the claim. */
  private static Future<Void> cleanUp(String streamId, String what, Future<?> step) {
    return step.<Void>mapEmpty().recover(err -> {
      log.warn("stream {}: claimed, but its {} was not removed ({}); it lapses or is swept later", streamId, what,
          err.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<StreamState> get(String streamId) {
    Future<JsonObject> state = streams().compose(s -> s.get(streamId));
    Future<StreamText> text = texts.get(streamId);
    return Future.all(state, text).map(both -> state.result() == null || text.result() == null ? null
        : text.result().onto(StreamState.fromJson(state.result())));
  }

  @Override
  public Future<List<StreamState>> ofConversation(String conversationId) {
    return byConversation.get(conversationId).compose(ids -> {
      if (ids == null) {
        return Future.succeededFuture(List.of());
      }
      List<Future<StreamState>> states = new ArrayList<>();
      ids.ids().forEach(id -> states.add(get(id)));
      return Future.all(states).map(all -> states.stream().map(Future::result).filter(Objects::nonNull).toList());
    });
  }

  @Override
  public Future<Set<String>> orphans() {
    return streams().compose(AsyncMap::keys).compose(running -> owners().compose(AsyncMap::entries)
        .compose(owned -> leases().compose(AsyncMap::keys).map(alive -> {
          Set<String> orphans = new HashSet<>();
          for (String streamId : running) {
            String worker = owned.get(streamId);
            if (worker == null || !alive.contains(worker)) {
              orphans.add(streamId);
            }
          }
          return orphans;
        })));
  }

  /**
   * One call where the user's slots live; only when the user is at {@code max} with slots older than the grace
   * (a question whose chat node may have died before its stream registered) are those looked up, and the
   * reservation tried once more without the ones whose streams are gone.
   */
  @Override
  public Future<Boolean> reserve(String userId, String streamId, int max) {
    return reserve(userId, streamId, max, List.of()).compose(first -> {
      if (first.taken() || first.stale().isEmpty()) {
        return Future.succeededFuture(first.taken());
      }
      List<String> gone = new ArrayList<>();
      List<Future<?>> lookups = new ArrayList<>();
      for (String old : first.stale()) {
        lookups.add(get(old).onSuccess(state -> {
          if (state == null) {
            gone.add(old);
          }
        }));
      }
      return Future.all(lookups).compose(looked -> gone.isEmpty() ? Future.succeededFuture(false)
          : reserve(userId, streamId, max, gone).map(IdSetChange.Reservation::taken));
    });
  }

  private Future<IdSetChange.Reservation> reserve(String userId, String streamId, int max, List<String> gone) {
    long now = clockMillis.getAsLong();
    return userSlots.change(userId, IdSetChange.reserve(streamId, now, max, now - reservationGraceMs, gone))
        .map(IdSetChange.Reservation.class::cast);
  }

  @Override
  public Future<Void> release(String userId, String streamId) {
    return userSlots.change(userId, IdSetChange.remove(streamId)).mapEmpty();
  }
}
