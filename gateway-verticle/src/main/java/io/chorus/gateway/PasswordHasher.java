package io.chorus.gateway;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * bcrypt (salted, deliberately slow) on worker threads: a hash costs tens of milliseconds and must not
 * block an event loop.
 */
final class PasswordHasher {
  /** Verified against when the user does not exist, so a login costs the same either way. */
  private static final String DUMMY_HASH = BCrypt.withDefaults().hashToString(4, "not-a-password".toCharArray());

  private final Vertx vertx;
  private final int cost;

  PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  Future<Boolean> verify(String password, String hash) {
    String against = hash == null ? DUMMY_HASH : hash;
    return vertx.executeBlocking(
        () -> BCrypt.verifyer().verify(password.toCharArray(), against).verified && hash != null, false);
  }
}
