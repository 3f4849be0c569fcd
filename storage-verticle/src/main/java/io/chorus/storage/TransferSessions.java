package io.chorus.storage;

import io.chorus.model.ChorusException;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The transfers (uploads or downloads) this storage verticle holds, by id, each with an idle timer: a
 * transfer that hears nothing for {@code idleMs} (its gateway crashed or lost the cluster) is removed and
 * handed to {@code onExpired} to release its file. Used on the verticle's event loop only.
 */
final class TransferSessions<S> {
  private final Vertx vertx;
  private final long idleMs;
  private final Consumer<S> onExpired;
  private final Map<String, Entry<S>> sessions = new HashMap<>();

  private static final class Entry<S> {
    final S session;
    long timer;

    Entry(S session) {
      this.session = session;
    }
  }

  TransferSessions(Vertx vertx, long idleMs, Consumer<S> onExpired) {
    this.vertx = vertx;
    this.idleMs = idleMs;
    this.onExpired = onExpired;
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  void add(String id, S session) {
    Entry<S> entry = new Entry<>(session);
    sessions.put(id, entry);
    arm(id, entry);
  }

  /** The live transfer, its idle timer restarted; 404 when it expired or never existed. */
  S touch(String id) {
    S session = touchIfPresent(id);
    if (session == null) {
      throw ChorusException.notFound("no such transfer (it may have expired)");
    }
    return session;
  }

  /** The live transfer, its idle timer restarted; null when it expired or never existed. */
  S touchIfPresent(String id) {
    Entry<S> entry = sessions.get(id);
    if (entry == null) {
      return null;
    }
    vertx.cancelTimer(entry.timer);
    arm(id, entry);
    return entry.session;
  }

  /**
   * The live transfer with its idle timer stopped, for a call that may take a while (a part sent to a
   * bucket): its caller is waiting for it, not gone. {@link #touchIfPresent} restarts the timer after it.
   * Null when it expired or never existed.
   */
  S holdIfPresent(String id) {
    Entry<S> entry = sessions.get(id);
    if (entry == null) {
      return null;
    }
    vertx.cancelTimer(entry.timer);
    return entry.session;
  }

  /** The ids of the live transfers. */
  List<String> ids() {
    return List.copyOf(sessions.keySet());
  }

  /** Takes the transfer out (no more expiry); null when it is not here. */
  S remove(String id) {
    Entry<S> entry = sessions.remove(id);
    if (entry == null) {
      return null;
    }
    vertx.cancelTimer(entry.timer);
    return entry.session;
  }

  int size() {
    return sessions.size();
  }

  private void arm(String id, Entry<S> entry) {
    entry.timer = vertx.setTimer(idleMs, t -> {
      if (sessions.get(id) == entry) {
        sessions.remove(id);
        onExpired.accept(entry.session);
      }
    });
  }
}
