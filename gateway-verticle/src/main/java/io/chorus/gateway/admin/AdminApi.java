package io.chorus.gateway.admin;

import io.chorus.gateway.ClusterClient;
import io.chorus.model.Ids;
import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.JsonBodies;
import io.chorus.gateway.http.TokenService;
import io.chorus.model.Addresses;
import io.chorus.model.ChorusException;
import io.chorus.model.ErrorCode;
import io.chorus.model.Fields;
import io.chorus.model.admin.AnnouncementQuery;
import io.chorus.model.admin.AuditEntry;
import io.chorus.model.admin.NewAnnouncement;
import io.chorus.model.admin.SetSuspended;
import io.chorus.model.storage.FindUser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The operators' endpoints, {@code /api/admin/*}: announcements, disconnecting and suspending a user, the live
 * view of the cluster; and {@code GET /api/announcements} for every user. {@link #requireAdmin} stands in front of
 * the admin routes (403 unless the token carries the admin role), and each admin call is written to the audit
 * table before it acts: a call the audit cannot record does not happen (503).
 */
public final class AdminApi {
  private final ClusterClient cluster;
  private final AdminBroadcasts broadcasts;
  private final Suspensions suspensions;
  private final ClusterView view;
  private final Predicate<String> namedAdmin;

  public AdminApi(ClusterClient cluster, AdminBroadcasts broadcasts, Suspensions suspensions,
      Predicate<String> namedAdmin) {
    this.cluster = cluster;
    this.namedAdmin = namedAdmin;
    this.broadcasts = broadcasts;
    this.suspensions = suspensions;
    this.view = new ClusterView(cluster);
  }

  /**
   * In front of {@code /api/admin/*}: the token must carry the role (ADMIN_USERS or a grant, as of the login),
   * and the user must still have it now. A token keeps its claims through refreshes, so without the second
   * check a revoked admin would stay one for the whole session; admin calls are rare, so one lookup each is
   * cheap. A token without the role is refused at once, without a lookup anyone could make us do.
   */
  public void requireAdmin(RoutingContext ctx) {
    if (!TokenService.isAdmin(ctx.user())) {
      HttpReplies.fail(ctx, ChorusException.forbidden("admin only"));
      return;
    }
    String userId = TokenService.userId(ctx.user());
    cluster.request(Addresses.STORAGE_USER_FIND, new FindUser(TokenService.username(ctx.user())))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().userId().equals(userId) && !ar.result().suspended()
              && (ar.result().admin() || namedAdmin.test(ar.result().username()))) {
            ctx.next();
          } else if (ar.failed() && !(ar.cause() instanceof ChorusException refused
              && refused.code() == ErrorCode.NOT_FOUND)) {
            HttpReplies.fail(ctx, ar.cause());
          } else {
            HttpReplies.fail(ctx, ChorusException.forbidden("admin only: the role was revoked; log in again"));
          }
        });
  }

  /** {@code POST /api/admin/announcements {text, level}}: 201 with the stored announcement, sent to every client. */
  public void announce(RoutingContext ctx) {
    HttpReplies.respond(ctx, 201, Future.succeededFuture(JsonBodies.of(ctx)).compose(body -> {
      String text = Fields.string(body, "text");
      String level = Fields.optString(body, "level");
      NewAnnouncement request = new NewAnnouncement(text, level == null ? "info" : level, actor(ctx));
      return audited(ctx, "announcement.create", null, new JsonObject().put("text", text).put("level", request.level()),
          () -> cluster.request(Addresses.STORAGE_ANNOUNCEMENT_CREATE, request))
          .onSuccess(broadcasts::announce)
          .map(announcement -> announcement.toJson());
    }));
  }

  /** {@code GET /api/announcements?after=<announcementId>}: any user catching up; the latest ones without after. */
  public void announcements(RoutingContext ctx) {
    String after = ctx.request().getParam("after");
    HttpReplies.respond(ctx, 200, Future.succeededFuture(after).compose(a -> {
      if (a != null && Ids.canonicalOrNull(a) == null) {
        throw ChorusException.badRequest("after must be an announcementId");
      }
      return cluster.request(Addresses.STORAGE_ANNOUNCEMENT_LIST, new AnnouncementQuery(Ids.canonicalOrNull(a)));
    }).map(list -> list.toJson()));
  }

  /** {@code POST /api/admin/users/{id}/disconnect}: 202; every socket of the user on every gateway closes. */
  public void disconnect(RoutingContext ctx) {
    HttpReplies.respond(ctx, 202, userIdParam(ctx).compose(userId ->
        audited(ctx, "user.disconnect", userId, null, () -> {
          broadcasts.disconnect(userId);
          return Future.succeededFuture(new JsonObject().put("userId", userId));
        })));
  }

  /** {@code POST /api/admin/users/{id}/suspend}: 200 {userId, username, suspended: true}; 404 for no such user. */
  public void suspend(RoutingContext ctx) {
    setSuspended(ctx, true);
  }

  /** {@code POST /api/admin/users/{id}/unsuspend}: 200 {userId, username, suspended: false}. */
  public void unsuspend(RoutingContext ctx) {
    setSuspended(ctx, false);
  }

  /** {@code GET /api/admin/cluster}: gateways, LLM workers, storage nodes and the database. */
  public void cluster(RoutingContext ctx) {
    HttpReplies.respond(ctx, 200, audited(ctx, "cluster.view", null, null, view::read));
  }

  private void setSuspended(RoutingContext ctx, boolean suspended) {
    HttpReplies.respond(ctx, 200, userIdParam(ctx).compose(userId ->
        audited(ctx, suspended ? "user.suspend" : "user.unsuspend", userId, null,
            () -> cluster.request(Addresses.STORAGE_USER_SUSPEND, new SetSuspended(userId, actor(ctx), suspended)))
            .compose(user -> suspensions.change(userId, suspended).map(state -> {
              broadcasts.suspension(state);
              return user.toJson().put("suspended", suspended);
            }))));
  }

  /** Written to the audit table first; {@code action} runs only once it is. */
  private <T> Future<T> audited(RoutingContext ctx, String action, String target, JsonObject detail,
      Supplier<Future<T>> work) {
    return cluster.request(Addresses.STORAGE_ADMIN_AUDIT, new AuditEntry(actor(ctx), action, target, detail))
        .compose(ack -> work.get());
  }

  private static Future<String> userIdParam(RoutingContext ctx) {
    String userId = Ids.canonicalOrNull(ctx.pathParam("id"));
    return userId == null ? Future.failedFuture(ChorusException.notFound("no such user"))
        : Future.succeededFuture(userId);
  }

  private static String actor(RoutingContext ctx) {
    return TokenService.userId(ctx.user());
  }
}
