package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.ClusterHarness;
import io.chorus.systemtests.support.ClusterTestBase;
import io.chorus.systemtests.support.LogCapture;
import io.chorus.systemtests.support.SockJsXhrSession;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input gets the contract's code, the socket and the server stay up, and nothing is
 * stored: each test ends by checking the conversation is untouched and the socket still answers.
 */
class BadInputIT extends ClusterTestBase {
  private Account alice;
  private Account bob;
  private Account mallory;
  private String conversation;
  private BridgeClient socket;
  private long expectedStored;

  @BeforeEach
  void conversationOfAliceAndBob() {
    alice = api.register("alice");
    bob = api.register("bob");
    mallory = api.register("mallory");
    conversation = api.createConversation(alice, "private", bob);
    socket = BridgeClient.connect(client, cluster.gatewayPort(), alice.token());
    socket.enter(conversation);
    expectedStored = 0;
  }

  @AfterEach
  void nothingWasStoredAndTheSocketStillWorks() {
    assertThat(socket.isClosed()).isFalse();
    JsonObject joined = socket.call("client.conversation.join", new JsonObject().put("conversationId", conversation));
    assertThat(joined.getLong("lastSeq")).as("nothing stored").isEqualTo(expectedStored);
    assertThat(cluster.database.count(
        "SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isEqualTo(expectedStored);
    socket.close();
  }

  private JsonObject sendBody(String text) {
    return new JsonObject().put("conversationId", conversation).put("text", text).put("clientMsgId", "c1");
  }

  @Test
  void malformedJsonIsRefusedAndTheSocketStaysUp() {
    socket.sendText("{\"type\":\"send\",\"address\":");
    assertThat(socket.awaitError().getString("body")).isEqualTo("invalid_json");
  }

  @Test
  void wrongTypesAndMissingFieldsAre400() {
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", conversation).put("text", 42))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", conversation).put("text", "hi").put("ai", "yes"))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send", new JsonObject().put("text", "no conversation")))
        .isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", "not-a-uuid").put("text", "hi"))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.history",
        new JsonObject().put("conversationId", conversation).put("afterSeq", "ten"))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.typing", new JsonObject().put("conversationId", conversation)))
        .isEqualTo(400);
  }

  /** JSON and query numbers past a long (or an int, for limit) are refused, not wrapped round to small ones. */
  @Test
  void numbersOutOfRangeAre400() {
    String replyAddress = UUID.randomUUID().toString();
    JsonObject err = socket.sendTextAndAwaitReply("{\"type\":\"send\",\"address\":\"client.chat.history\","
        + "\"replyAddress\":\"" + replyAddress + "\",\"body\":{\"conversationId\":\"" + conversation
        + "\",\"limit\":18446744073709551621}}", replyAddress);
    assertThat(err.getInteger("failureCode")).isEqualTo(400);
    assertThat(err.getString("message")).isEqualTo("limit is out of range");
    assertThat(socket.failureCode("client.chat.history",
        new JsonObject().put("conversationId", conversation).put("afterSeq", 1e300))).isEqualTo(400);

    String messages = "/api/conversations/" + conversation + "/messages";
    assertThat(api.expect(400, HttpMethod.GET, messages + "?limit=4294967297", alice.token(), null)
        .getString("error")).isEqualTo("limit is out of range");
    api.expect(400, HttpMethod.GET, messages + "?afterSeq=18446744073709551621", alice.token(), null);
    api.expect(200, HttpMethod.GET, messages + "?limit=1", alice.token(), null);
  }

  @Test
  void aBodyThatIsNotAnObjectIs400() {
    assertThat(socket.failureCode("client.chat.send", "just text")).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send", new io.vertx.core.json.JsonArray().add(1))).isEqualTo(400);
  }

  @Test
  void textOverTheLimitIs400() {
    assertThat(socket.failureCode("client.chat.send", sendBody("x".repeat(32_001)))).isEqualTo(400);
    assertThat(socket.failureCode("client.chat.send", sendBody(""))).isEqualTo(400);
  }

  @Test
  void anOversizedFrameIs413() {
    assertThat(socket.failureCode("client.chat.send", sendBody("y".repeat(300 * 1024)))).isEqualTo(413);
  }

  /** Emoji are four bytes each in UTF-8; the limit counts those bytes, not a re-encoded, escaped copy. */
  @Test
  void theFrameLimitCountsUtf8BytesAsSent() {
    String emoji = "\uD83D\uDE00";
    JsonObject reply = socket.call("client.chat.send", sendBody(emoji.repeat(22_000))); // 88,000 bytes
    assertThat(reply.getLong("seq")).isEqualTo(1);
    expectedStored = 1;
    // 264,000 bytes: over 256 KiB (262,144), though only 66,000 characters
    assertThat(socket.failureCode("client.chat.send", sendBody(emoji.repeat(66_000)))).isEqualTo(413);
  }

  @Test
  void aFrameOverFourTimesTheLimitClosesTheSocketWith1009() {
    try (BridgeClient other = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      other.request("client.chat.send", sendBody("z".repeat(1100 * 1024)));
      Wait.until("the socket closed", Duration.ofSeconds(15), other::isClosed);
      assertThat(other.closeStatus()).isEqualTo((short) 1009);
    }
  }

  /** Frames a client controls are refused without an ERROR line or a stack trace in the log. */
  @Test
  void badFramesNeverLogAtError() {
    try (LogCapture log = LogCapture.capture();
        BridgeClient other = BridgeClient.connect(client, cluster.gatewayPort(), alice.token())) {
      socket.send(new JsonObject().put("type", "bogus").put("address", "client.chat.send"));
      assertThat(socket.awaitError().getString("body")).isEqualTo("invalid_type");
      socket.send(new JsonObject().put("type", "send").put("address", "client.chat.send")
          .put("body", sendBody("long reply address")).put("replyAddress", "r".repeat(300)));
      assertThat(socket.awaitError().getString("body")).isEqualTo("invalid_reply_address");
      assertThat(socket.failureCode("client.chat.send", sendBody("y".repeat(300 * 1024)))).isEqualTo(413);
      other.request("client.chat.send", sendBody("z".repeat(1100 * 1024)));
      Wait.until("the socket closed", Duration.ofSeconds(15), other::isClosed);
      socket.call("client.conversation.join", new JsonObject().put("conversationId", conversation));
      assertThat(log.errorsOrStackTraces()).isEmpty();
    }
  }

  @Test
  void anUnknownConversationIs404() {
    String unknown = UUID.randomUUID().toString();
    assertThat(socket.failureCode("client.chat.send",
        new JsonObject().put("conversationId", unknown).put("text", "hello?"))).isEqualTo(404);
    assertThat(socket.failureCode("client.conversation.join", new JsonObject().put("conversationId", unknown)))
        .isEqualTo(404);
  }

  @Test
  void addressesOutsideTheClientContractAreDenied() {
    socket.send(new JsonObject().put("type", "send").put("address", "storage.message.append")
        .put("body", new JsonObject()).put("replyAddress", UUID.randomUUID().toString()));
    assertThat(socket.awaitError().getString("body")).isEqualTo("access_denied");
    socket.send(new JsonObject().put("type", "send").put("address", "client.admin.drop").put("body", new JsonObject()));
    assertThat(socket.awaitError().getString("body")).isEqualTo("access_denied");
    socket.register("conv." + conversation + ".events");
    assertThat(socket.awaitError().getString("body")).isEqualTo("access_denied");
    socket.send(new JsonObject().put("type", "publish").put("address", "client.chat.send").put("body",
        sendBody("published")));
    assertThat(socket.awaitError().getString("body")).isIn("rejected", "access_denied");
  }

  @Test
  void headersCannotChangeWhoTheSenderIs() {
    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      bobSocket.enter(conversation);
      JsonObject forged = new JsonObject().put("x-chorus-user-id", alice.userId()).put("userId", alice.userId())
          .put("x-chorus-username", alice.username());
      JsonObject reply = Wait.on(bobSocket.request("client.chat.send", sendBody("who am i"), forged), 15);
      JsonObject event = socket.awaitEvent("new_message");
      assertThat(event.getString("messageId")).isEqualTo(reply.getString("messageId"));
      assertThat(event.getString("userId")).isEqualTo(bob.userId());
      assertThat(event.getString("username")).isEqualTo(bob.username());
    }
    expectedStored = 1;
  }

  @Test
  void socketsWithoutAValidTokenAreRefusedOnTheUpgrade() {
    assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), null))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(401));
    assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), alice.token() + "x"))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(401));
    String otherSecretToken = tokenSignedWithAnotherKey();
    assertThatThrownBy(() -> BridgeClient.connect(client, cluster.gatewayPort(), otherSecretToken))
        .satisfies(e -> assertThat(((UpgradeRejectedException) rootOf(e)).getStatus()).isEqualTo(401));
  }

  @Test
  void aTokenThatExpiresWhileTheSocketIsOpenIsRefusedWith401AndTheSocketClosed() {
    long expiresAt = System.currentTimeMillis() / 1000 + 5;
    BridgeClient sending = BridgeClient.connect(client, cluster.gatewayPort(), aliceTokenExpiringAt(expiresAt));
    BridgeClient registering = BridgeClient.connect(client, cluster.gatewayPort(), aliceTokenExpiringAt(expiresAt));
    BridgeClient listening = BridgeClient.connect(client, cluster.gatewayPort(), aliceTokenExpiringAt(expiresAt));
    try {
      // Only the listener pings: a ping after the expiry closes a socket, which would race the checks below.
      sending.stopPinging();
      registering.stopPinging();
      sending.enter(conversation); // still valid: works as usual
      listening.enter(conversation);
      Wait.until("the token expired", Duration.ofSeconds(15), () -> System.currentTimeMillis() / 1000 > expiresAt);

      // A socket that only listens is closed at its next ping.
      Wait.until("the listening socket closed", Duration.ofSeconds(15), listening::isClosed);

      assertThat(sending.failureCode("client.chat.send", sendBody("too late"))).isEqualTo(401);
      Wait.until("the sending socket closed", Duration.ofSeconds(10), sending::isClosed);
      registering.register("client.room." + conversation);
      assertThat(registering.awaitError().getInteger("failureCode")).isEqualTo(401);
      Wait.until("the registering socket closed", Duration.ofSeconds(10), registering::isClosed);
    } finally {
      sending.close();
      registering.close();
      listening.close();
    }
  }

  @Test
  void nonMembersCanNeitherListenNorSpeak() {
    try (BridgeClient intruder = BridgeClient.connect(client, cluster.gatewayPort(), mallory.token())) {
      intruder.register("client.room." + conversation);
      assertThat(intruder.awaitError().getString("body")).isEqualTo("rejected");
      intruder.register("client.user." + alice.userId());
      assertThat(intruder.awaitError().getString("body")).isEqualTo("rejected");
      assertThat(intruder.failureCode("client.chat.send", sendBody("let me in"))).isEqualTo(403);
      assertThat(intruder.failureCode("client.conversation.join",
          new JsonObject().put("conversationId", conversation))).isEqualTo(403);
      assertThat(intruder.failureCode("client.chat.history",
          new JsonObject().put("conversationId", conversation))).isEqualTo(403);
      assertThat(intruder.failureCode("client.chat.typing",
          new JsonObject().put("conversationId", conversation).put("isTyping", true))).isEqualTo(403);

      // What Alice's room sees next is her own message, not anything from the intruder.
      socket.call("client.chat.typing", new JsonObject().put("conversationId", conversation).put("isTyping", true));
      assertThat(socket.awaitEvent("user_typing").getString("userId")).isEqualTo(alice.userId());
    }
    api.expect(403, HttpMethod.GET, "/api/conversations/" + conversation + "/messages", mallory.token(), null);
    api.expect(403, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", mallory.token(),
        new JsonObject().put("text", "let me in"));
  }

  /**
   * A SockJS session (XHR streaming, as a browser without WebSocket uses) is its opener's: another user's
   * valid token is not enough to post frames into it or read its replies.
   */
  @Test
  void aSockJsSessionTakesFramesOnlyFromTheUserWhoOpenedIt() {
    try (SockJsXhrSession session = SockJsXhrSession.open(client, cluster.gatewayPort(), alice.token())) {
      String replyAddress = UUID.randomUUID().toString();
      String frame = new JsonObject().put("type", "send").put("address", "client.chat.send")
          .put("body", sendBody("sent by mallory as alice")).put("replyAddress", replyAddress).encode();
      SockJsXhrSession.Answer posted = session.post("xhr_send", mallory.token(), new JsonArray().add(frame));
      assertThat(posted.status()).isEqualTo(403);
      assertThat(new JsonObject(posted.body()).getInteger("code")).isEqualTo(403);
      assertThat(session.post("xhr", mallory.token(), null).status()).as("reading the session").isEqualTo(403);
      assertThat(session.post("xhr_streaming", mallory.token(), null).status()).isEqualTo(403);

      // Its owner still uses it.
      String joinReply = UUID.randomUUID().toString();
      String join = new JsonObject().put("type", "send").put("address", "client.conversation.join")
          .put("body", new JsonObject().put("conversationId", conversation)).put("replyAddress", joinReply).encode();
      assertThat(session.post("xhr_send", alice.token(), new JsonArray().add(join)).status()).isEqualTo(204);
      session.awaitReceived(joinReply);
      assertThat(session.received()).doesNotContain(replyAddress);
    }
  }

  /**
   * The session checks read the path as sent; SockJS reads it normalized. A path that only normalizes to another
   * user's session (an escaped letter, a dot segment) is refused before it reaches SockJS, so it never posts a frame
   * into that session or reads its replies.
   */
  @Test
  void aSockJsPathThatOnlyNormalizesToAnotherUsersSessionIsRefused() {
    try (SockJsXhrSession session = SockJsXhrSession.open(client, cluster.gatewayPort(), alice.token())) {
      String replyAddress = UUID.randomUUID().toString();
      String frame = new JsonObject().put("type", "send").put("address", "client.chat.send")
          .put("body", sendBody("sent by mallory as alice")).put("replyAddress", replyAddress).encode();
      for (String transport : List.of("xhr%5Fsend", "./xhr_send", "../" + session.path.substring(
          session.path.lastIndexOf('/') + 1) + "/xhr_send")) {
        SockJsXhrSession.Answer posted = session.post(transport, mallory.token(), new JsonArray().add(frame));
        assertThat(posted.status()).as(transport).isEqualTo(400);
        assertThat(new JsonObject(posted.body()).getInteger("code")).isEqualTo(400);
      }
      assertThat(session.post("%78hr", mallory.token(), null).status()).as("reading the session").isEqualTo(400);
      assertThat(session.post("xhr%2Bsend", mallory.token(), null).status()).as("any escape").isEqualTo(400);
      assertThat(session.received()).doesNotContain(replyAddress);
    }
  }

  /**
   * A multipart body sent to a route that takes none (here the sign-in, without a token) leaves no file behind:
   * the gateway's body handlers keep no file parts on disk.
   */
  @Test
  void aMultipartFileSentToAnyRouteLeavesNoFileOnTheGateway() {
    Path uploads = Path.of(BodyHandler.DEFAULT_UPLOADS_DIRECTORY);
    long before = filesIn(uploads);
    String boundary = "chorus-boundary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(100_000) + "\r\n--" + boundary + "--\r\n";
    HttpClient http = client.createHttpClient();
    try {
      for (String path : List.of("/api/auth/login", "/eventbus/000/abcdefgh/xhr_send")) {
        int status = Wait.on(http.request(HttpMethod.POST, cluster.gatewayPort(), "127.0.0.1", path)
            .compose(request -> request.putHeader("content-type", "multipart/form-data; boundary=" + boundary)
                .send(body).map(response -> response.statusCode())), 15);
        assertThat(status).as(path).isBetween(400, 499);
      }
    } finally {
      http.close();
    }
    assertThat(filesIn(uploads)).as("files under " + uploads.toAbsolutePath()).isEqualTo(before);
  }

  private static long filesIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A create counts as one change however many it adds, so it may name at most 50 members; more come one by one. */
  @Test
  void aConversationCreatedWithMoreThanFiftyMembersIs400() {
    JsonArray names = new JsonArray();
    for (int i = 0; i < 51; i++) {
      names.add("member_" + i);
    }
    JsonObject refused = api.expect(400, HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "crowd").put("members", names));
    assertThat(refused.getString("error")).startsWith("at most 50 members when creating a conversation");
  }

  /** A password bcrypt cannot read whole is refused with 400 naming the limit, never a 500. */
  @Test
  void passwordsOver72BytesAre400() {
    String emoji = "\uD83D\uDE00"; // four bytes each: 19 of them are 76 bytes but 38 UTF-16 units
    JsonObject login = api.expect(400, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", alice.username()).put("password", "p".repeat(73)));
    assertThat(login.getString("error")).contains("72 bytes").contains("UTF-8");
    api.expect(400, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", "nobody_at_all").put("password", emoji.repeat(19)));
    JsonObject register = api.expect(400, HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("username", "long_pw_user").put("password", emoji.repeat(19)));
    assertThat(register.getString("error")).contains("72 bytes");
  }

  /** Unknown routes and wrong methods answer the same JSON error body as everything else. */
  @Test
  void unknownRoutesAndMethodsAnswerJson() {
    JsonObject unknown = api.expect(404, HttpMethod.GET, "/api/no-such-thing", alice.token(), null);
    assertThat(unknown.getInteger("code")).isEqualTo(404);
    assertThat(api.expect(404, HttpMethod.GET, "/no-such-page.html", null, null).getInteger("code")).isEqualTo(404);
    JsonObject wrongMethod = api.expect(405, HttpMethod.DELETE, "/api/conversations", alice.token(), null);
    assertThat(wrongMethod).isEqualTo(new JsonObject().put("error", "method not allowed").put("code", 405));
    assertThat(api.expect(405, HttpMethod.PUT, "/api/conversations/" + conversation + "/messages", alice.token(),
        new JsonObject()).getInteger("code")).isEqualTo(405);
  }

  @Test
  void aBodyOverTheLimitIs413WithAClearMessage() {
    JsonObject tooLarge = api.expect(413, HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "x".repeat(300 * 1024)));
    assertThat(tooLarge.getString("error")).isEqualTo("request body is larger than 262144 bytes");
  }

  /** Names and titles are shown to others: no control characters, no bidi overrides, no broken UTF-16. */
  @Test
  void controlAndBidiCharactersInTitlesAndNamesAre400NamingTheField() {
    assertThat(api.expect(400, HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "nul\u0000title")).getString("error"))
        .isEqualTo("title must not contain control characters");
    assertThat(api.expect(400, HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "gpj.\u202Eexe")).getString("error"))
        .isEqualTo("title must not contain bidirectional override characters");
    assertThat(api.expect(400, HttpMethod.POST, "/api/conversations", alice.token(),
        new JsonObject().put("title", "ok").put("members", new JsonArray().add("bob\u0000"))).getString("error"))
        .isEqualTo("members must not contain control characters");
    assertThat(api.expect(400, HttpMethod.POST, "/api/conversations/" + conversation + "/members", alice.token(),
        new JsonObject().put("username", "bo\u0000b")).getString("error"))
        .isEqualTo("username must not contain control characters");
    assertThat(api.expect(400, HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("username", "al\u0000ice").put("password", "correct horse battery")).getString("error"))
        .isEqualTo("username must not contain control characters");
    api.expect(400, HttpMethod.POST, "/api/conversations", alice.token(), "{\"title\":\"half \\ud800 a pair\"}");
  }

  /** An unpaired surrogate is not text: refused, never stored as '?'. */
  @Test
  void anUnpairedSurrogateInTextIs400() {
    String replyAddress = UUID.randomUUID().toString();
    JsonObject err = socket.sendTextAndAwaitReply("{\"type\":\"send\",\"address\":\"client.chat.send\","
        + "\"replyAddress\":\"" + replyAddress + "\",\"body\":{\"conversationId\":\"" + conversation
        + "\",\"text\":\"broken \\ud83d here\"}}", replyAddress);
    assertThat(err.getInteger("failureCode")).isEqualTo(400);
    assertThat(err.getString("message")).isEqualTo("text must not contain an unpaired surrogate (not Unicode text)");
    api.expect(400, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", alice.token(),
        "{\"text\":\"broken \\ude00 here\"}");
  }

  /** The page may not be framed, and is revalidated rather than cached for a day. */
  @Test
  void thePageRefusesFramingAndIsRevalidated() {
    for (String path : new String[] {"/", "/index.html", "/js/app.js", "/vendor/sockjs.min.js"}) {
      var response = api.call(HttpMethod.GET, path, null, null);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(response.getHeader("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'");
      assertThat(response.getHeader("Cache-Control")).as(path).isEqualTo("no-cache");
    }
    var page = api.call(HttpMethod.GET, "/index.html", null, null);
    String lastModified = page.getHeader("Last-Modified");
    assertThat(lastModified).isNotNull();
  }

  private static Throwable rootOf(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A token as the gateway issues it, with the harness's key, but running out at {@code epochSeconds}. */
  private String aliceTokenExpiringAt(long epochSeconds) {
    return jwtWithKey(ClusterHarness.JWT_SECRET).generateToken(new JsonObject().put("sub", alice.userId())
        .put("name", alice.username()).put("exp", epochSeconds));
  }

  /** A well-formed token for Alice's id signed with a key the gateway does not know. */
  private String tokenSignedWithAnotherKey() {
    return jwtWithKey("some-other-secret-that-is-long-enough-0123").generateToken(
        new JsonObject().put("sub", alice.userId()).put("name", alice.username()));
  }

  private JWTAuth jwtWithKey(String secret) {
    return JWTAuth.create(client, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }
}
