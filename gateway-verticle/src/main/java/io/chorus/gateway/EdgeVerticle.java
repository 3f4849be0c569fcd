package io.chorus.gateway;

import io.chorus.gateway.admin.AdminApi;
import io.chorus.gateway.admin.AdminBroadcasts;
import io.chorus.gateway.admin.Suspensions;
import io.chorus.gateway.bridge.BridgeLogFilter;
import io.chorus.gateway.bridge.BridgeRules;
import io.chorus.gateway.bridge.BridgeSockets;
import io.chorus.gateway.bridge.ClientRequests;
import io.chorus.gateway.bridge.Presence;
import io.chorus.gateway.bridge.RoomFanout;
import io.chorus.gateway.bridge.SockJsSessions;
import io.chorus.gateway.bridge.SocketTickets;
import io.chorus.gateway.files.FileApi;
import io.chorus.gateway.http.AssistantApi;
import io.chorus.gateway.http.AuthApi;
import io.chorus.gateway.http.AuthThrottle;
import io.chorus.gateway.http.ChangeLimit;
import io.chorus.gateway.http.ClientAddress;
import io.chorus.gateway.http.ConversationApi;
import io.chorus.gateway.http.HeaderDeadline;
import io.chorus.gateway.http.HealthApi;
import io.chorus.gateway.http.HttpReplies;
import io.chorus.gateway.http.MetricsGuard;
import io.chorus.gateway.http.PageHeaders;
import io.chorus.gateway.http.PasswordHasher;
import io.chorus.gateway.http.SessionRevocations;
import io.chorus.gateway.http.TokenService;
import io.chorus.gateway.sse.SseApi;
import io.chorus.gateway.sse.SseStreams;
import io.chorus.model.ChorusException;
import io.chorus.model.ClientAddresses;
import io.chorus.model.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.APIKeyHandler;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's edge, on the gateway-local Vert.x: the HTTP API, the SockJS event-bus bridge at
 * {@code /eventbus}, health, the web page, and the {@code client.*} consumers the bridge talks to.
 */
public final class EdgeVerticle extends VerticleBase implements AdminBroadcasts.LocalSockets {
  private static final long API_BODY_LIMIT = 256 * 1024;
  /**
   * Told to clients of a gateway going away: each waits a random time up to this before reconnecting, so the
   * sockets of a whole gateway reach the others spread over a few seconds, not in the same millisecond.
   */
  private static final long RECONNECT_AFTER_MS = 3_000;
  private static final String EVENTS_PATH = "/api/events";
  private static final String ROOM_EVENTS_PATH = "/api/conversations/:id/events";

  private final GatewayConfig config;
  private final ClusterClient cluster;
  private final RoomFanout fanout;
  private final Presence presence;
  private final SessionRevocations revocations;
  private final Suspensions suspensions;
  private final AdminBroadcasts broadcasts;
  private HttpServer server;
  private BridgeSockets sockets;
  private SseStreams eventStreams;

  EdgeVerticle(GatewayConfig config, ClusterClient cluster, RoomFanout fanout, Presence presence,
      SessionRevocations revocations, Suspensions suspensions, AdminBroadcasts broadcasts) {
    this.config = config;
    this.cluster = cluster;
    this.fanout = fanout;
    this.presence = presence;
    this.revocations = revocations;
    this.suspensions = suspensions;
    this.broadcasts = broadcasts;
  }

  @Override
  public Future<?> start() {
    TokenService tokens = new TokenService(vertx, config, revocations, Clock.systemUTC());
    AuthApi auth = new AuthApi(cluster, new PasswordHasher(vertx, config.bcryptCost()), tokens,
        new AuthThrottle(config.authLimits(), cluster.limits(), System::nanoTime),
        ClientAddress.trusting(config.authLimits().trustedProxies()), config::namedAdmin);
    AdminApi admin = new AdminApi(cluster, broadcasts, suspensions, config::namedAdmin);
    ChangeLimit changes = new ChangeLimit(cluster.limits(), config.conversationChangesPerMinute());
    AssistantApi assistants = new AssistantApi(cluster, config.assistants(), changes);
    ConversationApi conversations = new ConversationApi(cluster, assistants, assistants.views(), changes);
    HealthApi health = new HealthApi(cluster::readiness);
    BridgeLogFilter.install();
    SockJsSessions sessions = new SockJsSessions();
    sockets = new BridgeSockets(fanout, presence, sessions, config.maxSocketsPerUser(), config.socketQueueBytes());
    BridgeRules rules = new BridgeRules(cluster, sockets, config.maxFrameBytes(), config.maxRoomsPerSocket());

    HeaderDeadline headerDeadline = new HeaderDeadline(vertx, config.httpHeaderTimeoutMs());
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.addEndHandler(ar -> headerDeadline.onAnswered(ctx.request()));
      ctx.next();
    });
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(new MetricsGuard(config.metricsToken()))
        .handler(PrometheusScrapingHandler.create(cluster.ops().prometheus()));

    // No body handler here keeps a file: a multipart file part sent to any route, signed in or not, would be
    // written to ./file-uploads and never removed (uploads stream through FileApi, which keeps nothing).
    router.route("/api/*").handler(FileApi.exceptUploads(BodyHandler.create(false).setBodyLimit(API_BODY_LIMIT)));
    router.post("/api/auth/register").handler(auth::register);
    router.post("/api/auth/login").handler(auth::login);
    // An EventSource cannot send a header: event streams also take a ticket (?ticket=), one stream per ticket.
    SocketTickets tickets = new SocketTickets(cluster.claims(SocketTickets.CLAIMS_MAP),
        () -> System.currentTimeMillis() / 1000);
    APIKeyHandler ticketAuth = APIKeyHandler.create(tokens.socketAuth()).parameter("ticket");
    for (String path : List.of(EVENTS_PATH, ROOM_EVENTS_PATH)) {
      router.get(path).handler(ctx -> {
        if (ctx.request().getHeader("authorization") == null && ctx.queryParams().contains("ticket")) {
          ticketAuth.handle(ctx);
        } else {
          ctx.next();
        }
      }).handler(tickets);
    }
    router.route("/api/*").handler(JWTAuthHandler.create(tokens.auth())).handler(suspensions::guard);
    router.post("/api/auth/refresh").handler(auth::refresh);
    router.post("/api/auth/logout").handler(auth::logout);
    router.post("/api/auth/ticket").handler(auth::ticket);
    router.post("/api/conversations").handler(conversations::create);
    router.get("/api/conversations").handler(conversations::list);
    router.post("/api/conversations/:id/members").handler(conversations::addMember);
    router.delete("/api/conversations/:id/members/:userId").handler(conversations::removeMember);
    router.get("/api/conversations/:id/messages").handler(conversations::history);
    eventStreams = new SseStreams(config.maxSocketsPerUser());
    SseApi events = new SseApi(cluster, fanout, presence, eventStreams, config.socketQueueBytes(),
        config.maxRoomsPerSocket());
    router.post("/api/conversations/:id/messages").handler(ctx -> {
      if (SseApi.wantsStream(ctx)) {
        events.streamingSend(ctx);
      } else {
        conversations.send(ctx);
      }
    });
    router.post("/api/conversations/:id/streams/:streamId/stop").handler(conversations::stopStream);
    router.post("/api/conversations/:id/read").handler(conversations::markRead);
    router.post("/api/conversations/:id/messages/:messageId/regenerate").handler(conversations::regenerate);
    router.get(ROOM_EVENTS_PATH).handler(events::roomEvents);
    router.get(EVENTS_PATH).handler(events::allEvents);
    router.get("/api/usage").handler(conversations::usage);
    router.get("/api/assistants").handler(assistants::list);
    router.patch("/api/conversations/:id").handler(assistants::update);
    router.get("/api/announcements").handler(admin::announcements);
    router.route("/api/admin/*").handler(admin::requireAdmin);
    router.post("/api/admin/announcements").handler(admin::announce);
    router.post("/api/admin/users/:id/disconnect").handler(admin::disconnect);
    router.post("/api/admin/users/:id/suspend").handler(admin::suspend);
    router.post("/api/admin/users/:id/unsuspend").handler(admin::unsuspend);
    router.get("/api/admin/cluster").handler(admin::cluster);
    FileApi files = new FileApi(vertx, cluster, config);
    router.post(FileApi.UPLOAD_PATH).handler(files::upload);
    router.get(FileApi.DOWNLOAD_PATH).handler(files::download);

    // Authenticate on the upgrade: a bad token never gets a socket, and no early frame is dropped.
    // SockJS's XHR transports post frames (xhr_send); the bridge reads them from a BodyHandler.
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(config.maxWebSocketMessageBytes()));
    // SockJS and the router read the normalized path (dot segments resolved, %5F decoded) and SockJS decodes the
    // session id it takes from it; the session checks below read the path as sent. A path whose forms could differ
    // (any escape, any dot segment) could name another user's session unnoticed; SockJS clients never send one.
    // After the body handler, as every refusal here: a reply before a POST's body is read would leave the body
    // in the connection, in the way of the next request on it.
    router.route("/eventbus/*").handler(ctx -> {
      String path = ctx.request().path();
      if (path.indexOf('%') < 0 && path.equals(ctx.normalizedPath())) {
        ctx.next();
      } else {
        HttpReplies.fail(ctx, ChorusException.badRequest("not a SockJS path as the protocol writes it"));
      }
    });
    router.route("/eventbus/*").handler(APIKeyHandler.create(tokens.socketAuth()).parameter("token"))
        .handler(suspensions::guard);
    router.route("/eventbus/*").handler(tickets);
    router.route("/eventbus/*").handler(ctx -> {
      String path = ctx.request().path();
      String userId = TokenService.userId(ctx.user());
      if (!sessions.allows(path, userId)) {
        HttpReplies.fail(ctx, ChorusException.forbidden("this SockJS session belongs to another user"));
      } else if (sessions.opensSocket(path) && !sockets.mayOpen(userId)) {
        HttpReplies.fail(ctx, new ChorusException(ErrorCode.RATE_LIMITED,
            "at most " + config.maxSocketsPerUser() + " sockets per user on this gateway"));
      } else {
        ctx.next();
      }
    });
    // SockJSHandler.bridge(...) is this very bridge on the socket as SockJS made it; made here, it is given the
    // socket with every write bounded, its own answers to bad frames too (BridgeSockets.bounded).
    EventBusBridgeImpl bridge = new EventBusBridgeImpl(vertx, null, bridgeOptions(), rules::handle);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, sockJsOptions())
        .socketHandler(socket -> bridge.handle(sockets.bounded(socket))));

    // The page: GET and HEAD only, so another method on a known path is a 405. Nothing in webroot is
    // content-hashed, so every file is revalidated (no-cache), and an upgrade reaches browsers at once.
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(PageHeaders::apply)
        .handler(StaticHandler.create("webroot"));
    router.route().failureHandler(ctx -> HttpReplies.onRouteFailure(ctx, bodyLimit(ctx)));
    // No route at all (404), or none for the method (405): the same JSON error body as every other error.
    router.errorHandler(404, ctx -> HttpReplies.onRouteFailure(ctx, bodyLimit(ctx)));
    router.errorHandler(405, ctx -> HttpReplies.onRouteFailure(ctx, bodyLimit(ctx)));

    List<Future<?>> ready =
        new ArrayList<>(new ClientRequests(cluster, presence, assistants).register(vertx.eventBus()));
    // Strict thread mode: an HTTP connection writes straight to its channel instead of through a queue of its
    // own. That queue (a Netty MPSC queue whose first chunk is 1,024 slots, allocated up front) stays with every
    // WebSocket for its whole life, as the SockJS socket keeps the request it was upgraded from: 4.8 KB of each
    // idle socket's 22 (docs/benchmarks.md). The price is that a response is written only on its request's
    // context: everything the edge's handlers wait for completes there (ClusterClient's futures, the bridge's
    // and SSE streams' hops), and a write from elsewhere fails at once rather than racing.
    HttpServerOptions serverOptions = new HttpServerOptions().setStrictThreadMode(true)
        .setMaxWebSocketFrameSize(config.maxWebSocketMessageBytes())
        .setMaxWebSocketMessageSize(config.maxWebSocketMessageBytes())
        .setIdleTimeout((int) config.httpIdleTimeoutMs()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    ready.add(vertx.createHttpServer(serverOptions)
        .connectionHandler(headerDeadline::onConnection)
        .requestHandler(request -> {
          headerDeadline.onRequest(request);
          router.handle(request);
        })
        .listen(config.httpPort())
        .onSuccess(s -> server = s));
    return Future.all(ready);
  }

  /** The body limit of the request's path, named in a 413. */
  private long bodyLimit(RoutingContext ctx) {
    return ctx.request().path().startsWith("/eventbus/") ? config.maxWebSocketMessageBytes() : API_BODY_LIMIT;
  }

  int port() {
    return server.actualPort();
  }

  /** The port, or 0 before the server listens. */
  int portOrZero() {
    return server == null ? 0 : server.actualPort();
  }

  /** A logout on any gateway: the session's sockets here close (called from the cluster side). */
  void closeSession(String sessionId) {
    context.runOnContext(v -> {
      if (sockets != null) {
        sockets.closeSession(sessionId);
        eventStreams.closeSession(sessionId);
      }
    });
  }

  /** An operator's order from any gateway: the user's sockets here are told why and closed. */
  @Override
  public void closeUser(String userId, JsonObject event, String reason) {
    context.runOnContext(v -> {
      if (sockets != null) {
        sockets.closeUser(userId, event, reason);
      }
      if (eventStreams != null) {
        eventStreams.closeUser(userId, event);
      }
    });
  }

  /** An announcement: once to every user with a socket here, on their personal address. */
  @Override
  public void deliverToAll(JsonObject event) {
    context.runOnContext(v -> {
      // A user with a socket and a stream here hears it once on each: both listen on the personal address.
      Set<String> users = new HashSet<>();
      if (sockets != null) {
        users.addAll(sockets.users());
      }
      if (eventStreams != null) {
        users.addAll(eventStreams.users());
      }
      users.forEach(userId -> vertx.eventBus().publish(ClientAddresses.user(userId), event));
    });
  }

  int openSockets() {
    return sockets == null ? 0 : sockets.open();
  }

  long slowSocketsClosed() {
    return sockets == null ? 0 : sockets.slowClosed();
  }

  long slowEventStreamsClosed() {
    return eventStreams == null ? 0 : eventStreams.slowClosed();
  }

  long ephemeralEventsDropped() {
    return sockets == null ? 0 : sockets.ephemeralDropped();
  }

  /**
   * A graceful stop: sockets are told to reconnect elsewhere and closed (their users leave their rooms
   * as usual), for at most {@code boundMs}; then the server stops listening.
   */
  Future<Void> drain(long boundMs) {
    if (server == null) {
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    // On the edge's context, where the streams' responses are written (the stop comes from the cluster side).
    context.runOnContext(v -> {
      sockets.closeAll(RECONNECT_AFTER_MS);
      eventStreams.closeAll(RECONNECT_AFTER_MS);
    });
    long deadline = vertx.setTimer(boundMs, id -> closed.tryComplete());
    long poll = vertx.setPeriodic(50, id -> {
      if (sockets.open() == 0 && eventStreams.open() == 0) {
        closed.tryComplete();
      }
    });
    return closed.future().compose(v -> {
      vertx.cancelTimer(deadline);
      vertx.cancelTimer(poll);
      return server.close();
    });
  }

  private SockJSHandlerOptions sockJsOptions() {
    SockJSHandlerOptions options = new SockJSHandlerOptions().setRegisterWriteHandler(false);
    if (config.allowedOrigin() != null) {
      options.setOrigin(config.allowedOrigin());
    }
    return options;
  }

  private SockJSBridgeOptions bridgeOptions() {
    SockJSBridgeOptions options = new SockJSBridgeOptions().setPingTimeout(config.pingTimeoutMs());
    ClientAddresses.REQUESTS.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex("client\\.(room|user)\\.[0-9a-f-]{36}"));
    return options;
  }
}
