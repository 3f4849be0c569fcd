package io.chorus.gateway.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.chorus.model.ChorusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt (salted, deliberately slow) on worker threads: a hash costs tens of milliseconds and must not
 * block an event loop.
 */
public final class PasswordHasher {
  /** bcrypt reads at most 72 bytes; a longer password would be truncated (or refused by the library). */
  static final int MAX_PASSWORD_BYTES = 72;

  private final Vertx vertx;
  private final int cost;
  /**
   * Verified against when the user does not exist, so a login costs the same either way: a hash of the
   * configured cost, made once, on a worker, as the hasher is made (so the first unknown name's login costs no
   * more than the next). Final, so every event loop sees it without a lock.
   */
  private final Future<String> dummyHash;

  public PasswordHasher(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
    this.dummyHash = hash("not-a-password");
  }

  /** A 400 naming the limit for a password bcrypt cannot take whole. */
  static void checkLength(String password) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw ChorusException.badRequest("password must be at most " + MAX_PASSWORD_BYTES
          + " bytes in UTF-8 (bcrypt's limit)");
    }
  }

  Future<String> hash(String password) {
    checkLength(password);
    return vertx.executeBlocking(() -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  /** True when {@code hash} is the password's; a null hash (no such user) still costs a full verification. */
  Future<Boolean> verify(String password, String hash) {
    checkLength(password);
    return (hash == null ? dummyHash() : Future.succeededFuture(hash)).compose(against -> vertx.executeBlocking(
        () -> BCrypt.verifyer().verify(password.toCharArray(), against).verified && hash != null, false));
  }

  Future<String> dummyHash() {
    return dummyHash;
  }

  /** The cost a bcrypt hash was made with ({@code $2a$10$...} is 10). */
  static int costOf(String hash) {
    return Integer.parseInt(hash.substring(4, 6));
  }
}
