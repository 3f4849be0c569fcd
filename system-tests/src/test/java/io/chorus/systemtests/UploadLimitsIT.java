package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.FileClient;
import io.chorus.systemtests.support.FileClient.Multipart;
import io.chorus.systemtests.support.FileClient.Reply;
import io.chorus.systemtests.support.FilesClusterTestBase;
import io.chorus.systemtests.support.GeneratedContent;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What keeps uploads safe with many users, end to end on the two-node cluster (gateway A on one node,
 * storage and gateway B on the other): slow uploads that keep sending survive storage's idle timeout, the
 * whole multipart body is bounded, the text is checked, and each user's uploads in progress and stored
 * bytes are bounded whichever gateway they come through. Small limits and a short
 * {@code FILE_SESSION_IDLE_MS} keep it quick.
 */
class UploadLimitsIT extends FilesClusterTestBase {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long KB = 1024;
  private static final long MAX_UPLOAD = 1024 * KB;
  private static final long IDLE_MS = 1_000;
  private static final int CONCURRENT = 2;
  private static final long QUOTA = 2 * MAX_UPLOAD + 512 * KB;

  @Override
  protected Map<String, String> fileSettings() {
    return Map.of(
        "MAX_UPLOAD_BYTES", Long.toString(MAX_UPLOAD),
        "FILE_SESSION_IDLE_MS", Long.toString(IDLE_MS),
        "MAX_CONCURRENT_UPLOADS_PER_USER", Integer.toString(CONCURRENT),
        "USER_QUOTA_BYTES", Long.toString(QUOTA),
        "UPLOAD_RATE_PER_MINUTE", "1000");
  }

  @Test
  void aSlowButSteadyUploadOutlivesStoragesIdleTimeout() throws IOException {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "slow uplink");
    byte[] content = "slow and steady wins the race\n".repeat(10).getBytes(StandardCharsets.UTF_8);
    Multipart body = FileClient.multipart("slow.txt", "text/plain",
        new GeneratedContent(0, content.length, content), "sent slowly");

    // 300 bytes in three times the idle timeout: a chunk's worth would take the best part of an hour.
    try (Socket socket = openUpload(cluster.gatewayPort(), alice, conversation, body)) {
      byte[] all = body.open().readAllBytes();
      int pieces = 30;
      long pauseNanos = TimeUnit.MILLISECONDS.toNanos(3 * IDLE_MS / pieces);
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < pieces; i++) {
        int from = all.length * i / pieces;
        int to = all.length * (i + 1) / pieces;
        out.write(all, from, to - from);
        out.flush();
        LockSupport.parkNanos(pauseNanos); // a trickle: the pace is the point, nothing waits on it
      }
      JsonObject reply = response(socket, 201);
      String url = reply.getString("url");
      assertThat(files.download(alice.token(), url).bytes()).isEqualTo(content);
    }
  }

  @Test
  void theWholeMultipartBodyIsBoundedNotOnlyTheFile() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "padding");
    String boundary = "chorus-" + UUID.randomUUID();
    // A small file after three times the limit in a field the gateway ignores, sent chunked.
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"padding\"\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
        + "\r\nhello\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    Multipart padded = new Multipart(boundary, head, GeneratedContent.random(7, 3 * MAX_UPLOAD), tail);

    Reply reply = files.upload(alice.token(), conversation, padded, false);

    assertThat(reply.status()).as(reply.body().encode()).isEqualTo(413);
    assertThat(reply.body().getString("error")).contains("multipart body is larger than");
    assertNothingStored(conversation);
  }

  @Test
  void aTextWithANulCharacterIs400NamingTheField() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "nul");

    Reply reply = files.upload(alice.token(), conversation, FileClient.multipart("a.txt", "text/plain",
        text("fine"), "before\u0000after"));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().getString("error")).startsWith("text must not contain control characters");
    assertNothingStored(conversation);
  }

  @Test
  void uploadsInProgressAreBoundedPerUserAcrossGateways() throws IOException {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "busy", bob);
    Multipart first = FileClient.multipart("1.txt", "text/plain", text("first"), null);
    Multipart second = FileClient.multipart("2.txt", "text/plain", text("second"), null);

    // Two uploads under way, one through each gateway: headers sent, the body still to come.
    try (Socket one = openUpload(cluster.gatewayPort(), alice, conversation, first);
         Socket two = openUpload(cluster.secondGatewayPort(), alice, conversation, second)) {
      Wait.until("storage counts both uploads", WAIT,
          () -> count("SELECT count(*) FROM uploads WHERE user_id = '" + alice.userId() + "'") == CONCURRENT);

      Reply third = files.upload(alice.token(), conversation, FileClient.multipart("3.txt", "text/plain",
          text("third"), null));
      assertThat(third.status()).as(third.body().encode()).isEqualTo(429);
      assertThat(third.body().getString("error")).isEqualTo("too many uploads in progress: at most 2 at once");
      // Bob's are his own.
      assertThat(files.upload(bob.token(), conversation, FileClient.multipart("b.txt", "text/plain",
          text("bob's"), null)).status()).isEqualTo(201);

      // One finishes: its place is free again.
      one.getOutputStream().write(first.open().readAllBytes());
      response(one, 201);
      assertThat(files.upload(alice.token(), conversation, FileClient.multipart("4.txt", "text/plain",
          text("fourth"), null)).status()).isEqualTo(201);
      two.getOutputStream().write(second.open().readAllBytes());
      response(two, 201);
    }
    assertThat(count("SELECT count(*) FROM uploads WHERE user_id = '" + alice.userId() + "'")).isZero();
  }

  @Test
  void aUsersStoredBytesAreBoundedByTheQuota() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "archive", bob);
    for (int i = 0; i < 2; i++) {
      assertThat(files.upload(alice.token(), conversation, FileClient.multipart("full-" + i + ".bin",
          "application/octet-stream", GeneratedContent.random(20 + i, MAX_UPLOAD), null)).status()).isEqualTo(201);
    }

    Reply over = files.upload(alice.token(), conversation, FileClient.multipart("one-too-many.bin",
        "application/octet-stream", GeneratedContent.random(30, MAX_UPLOAD), null));
    assertThat(over.status()).as(over.body().encode()).isEqualTo(413);
    assertThat(over.body().getString("error")).isEqualTo("storage quota exceeded: your files take "
        + 2 * MAX_UPLOAD + " of the " + QUOTA + " bytes you may store");
    // What still fits is fine, and the quota is the uploader's: Bob has all of his.
    assertThat(files.upload(alice.token(), conversation, FileClient.multipart("fits.bin",
        "application/octet-stream", GeneratedContent.random(31, QUOTA - 2 * MAX_UPLOAD), null)).status())
        .isEqualTo(201);
    assertThat(files.upload(bob.token(), conversation, FileClient.multipart("bobs.bin",
        "application/octet-stream", GeneratedContent.random(32, MAX_UPLOAD), null)).status()).isEqualTo(201);
    Reply full = files.upload(alice.token(), conversation, FileClient.multipart("x.txt", "text/plain",
        text("x"), null));
    assertThat(full.status()).isEqualTo(413);
    assertThat(full.body().getString("error")).contains(QUOTA + " of the " + QUOTA + " bytes");

    assertThat(count("SELECT coalesce(sum(size), 0) FROM files WHERE uploader_id = '" + alice.userId() + "'"))
        .isEqualTo(QUOTA);
    Wait.until("refused uploads leave no temp file", WAIT, () -> incoming() == 0);
  }

  /** Sends an upload's request line and headers, none of its body; Connection: close ends the reply. */
  private static Socket openUpload(int port, Account who, String conversation, Multipart body) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(("POST /api/conversations/" + conversation + "/files HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer " + who.token() + "\r\nContent-Type: " + body.contentType()
        + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  /** Reads the whole answer off the socket and checks its status; returns its JSON body. */
  private static JsonObject response(Socket socket, int status) throws IOException {
    InputStream in = socket.getInputStream();
    String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    assertThat(answer).startsWith("HTTP/1.1 " + status);
    return new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
  }

  private void assertNothingStored(String conversation) {
    assertThat(count("SELECT count(*) FROM files WHERE conversation_id = '" + conversation + "'")).isZero();
    assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isZero();
    Wait.until("the refused upload's temp file is deleted", WAIT, () -> incoming() == 0);
  }

  /** Temp files of uploads in progress. */
  private long incoming() {
    Path dir = filesDir.resolve(".incoming");
    try (Stream<Path> parts = Files.list(dir)) {
      return parts.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static GeneratedContent text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return new GeneratedContent(0, bytes.length, bytes);
  }

  private long count(String sql) {
    return cluster.database.count(sql);
  }
}
