package io.chorus.gateway.http;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Fields;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** {@code POST /api/auth/register}, {@code /login} and {@code /refresh}. */
public final class AuthApi {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
  private static final int MIN_PASSWORD = 8;

  private final ClusterClient cluster;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final AuthThrottle throttle;
  private final ClientAddress addresses;
  private final Predicate<String> namedAdmin;

  /** {@code namedAdmin}: the usernames ADMIN_USERS makes admins (a grant in the database makes others). */
  public AuthApi(ClusterClient cluster, PasswordHasher hasher, TokenService tokens, AuthThrottle throttle,
      ClientAddress addresses, Predicate<String> namedAdmin) {
    this.addresses = addresses;
    this.cluster = cluster;
    this.hasher = hasher;
    this.tokens = tokens;
    this.throttle = throttle;
    this.namedAdmin = namedAdmin;
  }

  public void register(RoutingContext ctx) {
    HttpReplies.respond(ctx, 201, Future.succeededFuture(JsonBodies.of(ctx)).compose(body -> {
      String username = Fields.label("username", Fields.string(body, "username"));
      String password = Fields.string(body, "password");
      return throttle.checkRegistration(clientAddress(ctx)).compose(allowed -> {
        if (!USERNAME.matcher(username).matches()) {
          throw ChorusException.badRequest("username must be 3-32 letters, digits, '_', '.' or '-'");
        }
        PasswordHasher.checkLength(password);
        if (password.length() < MIN_PASSWORD) {
          throw ChorusException.badRequest("password must be at least " + MIN_PASSWORD + " characters");
        }
        return hasher.hash(password);
      })
          .compose(hash -> cluster.request(Addresses.STORAGE_USER_CREATE, new CreateUser(username, hash)))
          .map(user -> {
            boolean admin = namedAdmin.test(user.username());
            return tokens.issue(user.userId(), user.username(), admin).toJson()
                .put("userId", user.userId()).put("username", user.username()).put("admin", admin);
          });
    }));
  }

  public void login(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture(JsonBodies.of(ctx)).compose(body -> {
      String username = Fields.label("username", Fields.string(body, "username"));
      String password = Fields.string(body, "password");
      if (!USERNAME.matcher(username).matches()) {
        // No such account can exist: refused before it costs a hash or a throttle record.
        throw new ChorusException(ErrorCode.UNAUTHORIZED, "invalid username or password");
      }
      return throttle.checkLogin(clientAddress(ctx), username).compose(allowed -> {
        PasswordHasher.checkLength(password); // before anything, so a refusal says nothing about the name
        return cluster.request(Addresses.STORAGE_USER_FIND, new FindUser(username));
      })
          .recover(err -> err instanceof ChorusException ce && ce.code() == ErrorCode.NOT_FOUND
              ? Future.succeededFuture(null) : Future.failedFuture(err))
          .compose(user -> hasher.verify(password, user == null ? null : user.passwordHash()).map(ok -> {
            if (!ok) {
              throttle.loginFailed(clientAddress(ctx), username);
              throw new ChorusException(ErrorCode.UNAUTHORIZED, "invalid username or password");
            }
            throttle.loginSucceeded(clientAddress(ctx), username);
            if (user.suspended()) {
              // After the password check, so the answer tells a stranger nothing about the account.
              throw ChorusException.forbidden("account suspended");
            }
            boolean admin = user.admin() || namedAdmin.test(user.username());
            return tokens.issue(user.userId(), user.username(), admin).toJson()
                .put("userId", user.userId()).put("username", user.username()).put("admin", admin);
          }));
    }));
  }

  /**
   * The peer's address, or the client behind it when the peer is one of {@code TRUSTED_PROXIES}; an IPv6 one as its
   * /64 ({@link ClientAddress#limitKey}).
   */
  private String clientAddress(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    return ClientAddress.limitKey(addresses.of(peer, ctx.request().headers().getAll("X-Forwarded-For")));
  }

  /** A fresh token for the same session; 401 once the session has reached {@code SESSION_MAX_HOURS}. */
  public void refresh(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture(ctx.user()).map(user -> tokens.refresh(user).toJson()));
  }

  /** A ticket for the bridge URL, so the long-lived token stays out of URLs: 200 {@code {ticket, expiresAt}}. */
  public void ticket(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, Future.succeededFuture(ctx.user()).compose(user ->
        throttle.checkTicket(TokenService.userId(user)).map(allowed -> {
          TokenService.IssuedToken ticket = tokens.ticket(user);
          return new JsonObject().put("ticket", ticket.token()).put("expiresAt", ticket.expiresAt().toString());
        })));
  }

  /** Ends the caller's session (this token and its refreshes) on every gateway: 204. */
  public void logout(RoutingContext ctx) {
    tokens.logout(ctx.user()).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.fail(ar.cause());
      }
    });
  }
}
