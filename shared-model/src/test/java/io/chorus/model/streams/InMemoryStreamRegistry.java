package io.chorus.model.streams;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An in-memory {@link StreamRegistry} that answers at once, for tests of the services that use one. */
public class InMemoryStreamRegistry implements StreamRegistry {
  public final Map<String, StreamState> streams = new HashMap<>();
  public int claims;
  public final Set<String> orphans = new HashSet<>();
  /** Each user's reserved answer slots (stream ids). */
  public final Map<String, Set<String>> slots = new HashMap<>();
  /** When set, the next update fails with it, as a cluster map's can while members change. */
  public RuntimeException nextUpdateFails;
  /** When set, the next reserve fails with it (the cluster map unreachable). */
  public RuntimeException nextReserveFails;

  @Override
  public Future<Void> register(StreamState state) {
    streams.put(state.streamId(), state);
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> update(StreamState state) {
    if (nextUpdateFails != null) {
      RuntimeException failure = nextUpdateFails;
      nextUpdateFails = null;
      return Future.failedFuture(failure);
    }
    return Future.succeededFuture(streams.computeIfPresent(state.streamId(), (id, old) -> state) != null);
  }

  @Override
  public Future<Void> renewLease(String workerId) {
    return Future.succeededFuture();
  }

  @Override
  public Future<StreamState> claim(String streamId) {
    claims++;
    StreamState state = streams.remove(streamId);
    if (state != null && state.userId() != null) {
      release(state.userId(), streamId);
    }
    return Future.succeededFuture(state);
  }

  @Override
  public Future<Boolean> reserve(String userId, String streamId, int max) {
    if (nextReserveFails != null) {
      RuntimeException failure = nextReserveFails;
      nextReserveFails = null;
      return Future.failedFuture(failure);
    }
    Set<String> held = slots.computeIfAbsent(userId, u -> new HashSet<>());
    if (held.contains(streamId)) {
      return Future.succeededFuture(true);
    }
    if (held.size() >= max) {
      return Future.succeededFuture(false);
    }
    held.add(streamId);
    return Future.succeededFuture(true);
  }

  @Override
  public Future<Void> release(String userId, String streamId) {
    Set<String> held = slots.get(userId);
    if (held != null) {
      held.remove(streamId);
    }
    return Future.succeededFuture();
  }

  /** How many slots the user holds. */
  public int slotsOf(String userId) {
    return slots.getOrDefault(userId, Set.of()).size();
  }

  @Override
  public Future<StreamState> get(String streamId) {
    return Future.succeededFuture(streams.get(streamId));
  }

  @Override
  public Future<List<StreamState>> ofConversation(String conversationId) {
    return Future.succeededFuture(
        streams.values().stream().filter(s -> s.conversationId().equals(conversationId)).toList());
  }

  @Override
  public Future<Set<String>> orphans() {
    return Future.succeededFuture(Set.copyOf(orphans));
  }
}
