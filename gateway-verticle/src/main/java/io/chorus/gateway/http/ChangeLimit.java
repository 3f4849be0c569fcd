package io.chorus.gateway.http;

import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.limits.SharedRateLimiter;
import io.vertx.core.Future;

/**
 * The changes to conversations one user may make a minute, across the cluster ({@code CONVERSATION_CHANGES_PER_MINUTE}):
 * creating one, adding or removing a member, switching its assistant or settings. Each is stored as a room event or
 * tells other people (their {@code conversation_added}), outside the messages' limit, so without this one account
 * could fill rooms and other users' lists as fast as it can send requests. 429 beyond it; 503 when it cannot be
 * checked (nothing changes then either).
 */
public final class ChangeLimit {
  private final SharedRateLimiter changes;
  private final int perMinute;

  public ChangeLimit(SharedRateLimiter.Factory shared, int perMinute) {
    this.changes = shared.perMinute("conversation-changes", perMinute, 1);
    this.perMinute = perMinute;
  }

  /** Takes one change of {@code userId}'s, or fails with 429 (503 when the limit cannot be read). */
  public Future<Void> take(String userId) {
    return changes.tryAcquire(userId)
        .recover(err -> Future.failedFuture(ChorusException.unavailable("limits cannot be checked now; try again")))
        .compose(allowed -> allowed ? Future.<Void>succeededFuture()
            : Future.failedFuture(new ChorusException(ErrorCode.RATE_LIMITED,
                "too many changes to conversations: at most " + perMinute + " a minute")));
  }
}
