package io.chorus.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.BridgeClient;
import io.chorus.fixtures.Wait;
import io.chorus.systemtests.support.ApiClient.Account;
import io.chorus.systemtests.support.FileClient;
import io.chorus.systemtests.support.FileClient.Download;
import io.chorus.systemtests.support.FileClient.Multipart;
import io.chorus.systemtests.support.FileClient.Reply;
import io.chorus.systemtests.support.FilesClusterTestBase;
import io.chorus.systemtests.support.GeneratedContent;
import io.chorus.systemtests.support.HeapSampler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files end to end on the two-node cluster with real PostgreSQL and a FILES_DIR of its own
 * ({@link S3FilesIT}: the same with a bucket): uploads go in through the gateway on node A and are stored
 * by the storage service on node B, so every chunk crosses the cluster. Checks what a client sees (codes,
 * headers, bytes, the room's event, history) and what is left in the store and in the database.
 */
class FilesIT extends FilesClusterTestBase {
  private static final Logger log = LoggerFactory.getLogger(FilesIT.class);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long MB = 1024 * 1024;
  private static final long LIMIT = 25 * MB;
  private static final int UPLOADS_PER_MINUTE = 12;
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  @Override
  protected Map<String, String> fileSettings() {
    return Map.of(
        "MAX_UPLOAD_BYTES", Long.toString(LIMIT),
        "UPLOAD_RATE_PER_MINUTE", Integer.toString(UPLOADS_PER_MINUTE),
        // Ten big uploads of one user at once here, then ten downloads of another; UploadLimitsIT and
        // FileStorageIT check the limits themselves.
        "MAX_CONCURRENT_UPLOADS_PER_USER", "20", "MAX_CONCURRENT_DOWNLOADS_PER_USER", "20");
  }

  @Test
  void anUploadIsAnnouncedWithItsSeqAndDownloadsAsTheSameBytes() {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "charts", bob);
    try (BridgeClient bobSocket = BridgeClient.connect(client, cluster.gatewayPort(), bob.token())) {
      bobSocket.enter(conversation);
      api.expect(201, HttpMethod.POST, "/api/conversations/" + conversation + "/messages", alice.token(),
          new JsonObject().put("text", "a chart follows"));
      GeneratedContent png = new GeneratedContent(1, 300_000, PNG);

      // The client's content type is a lie on purpose: storage sniffs the bytes.
      Reply reply = files.upload(alice.token(), conversation,
          FileClient.multipart("chart.png", "text/html", png, "Q3"));

      assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
      String fileId = reply.body().getString("fileId");
      assertThat(reply.body().getLong("seq")).isEqualTo(2);
      assertThat(reply.body().getString("url")).isEqualTo("/api/files/" + fileId);
      JsonObject event = bobSocket.awaitEvent(e -> "file_uploaded".equals(e.getString("type")), WAIT);
      assertThat(event.getLong("seq")).isEqualTo(2);
      assertThat(event.getString("conversationId")).isEqualTo(conversation);
      assertThat(event.getString("messageId")).isEqualTo(reply.body().getString("messageId"));
      assertThat(event.getString("fileId")).isEqualTo(fileId);
      assertThat(event.getString("filename")).isEqualTo("chart.png");
      assertThat(event.getString("contentType")).isEqualTo("image/png");
      assertThat(event.getLong("size")).isEqualTo(300_000);
      assertThat(event.getString("url")).isEqualTo("/api/files/" + fileId);
      assertThat(event.getString("userId")).isEqualTo(alice.userId());
      assertThat(event.getString("username")).isEqualTo(alice.username());
      assertThat(event.getString("text")).isEqualTo("Q3");

      Download download = files.download(bob.token(), event.getString("url"));
      assertThat(download.status()).isEqualTo(200);
      assertThat(download.sha256()).isEqualTo(png.sha256());
      assertThat(download.size()).isEqualTo(300_000);
      assertThat(download.header("content-type")).isEqualTo("image/png");
      assertThat(download.header("content-length")).isEqualTo("300000");
      assertThat(download.header("etag")).isEqualTo("\"" + png.sha256() + "\"");
      assertThat(download.header("content-disposition"))
          .isEqualTo("inline; filename=\"chart.png\"; filename*=UTF-8''chart.png");
      assertThat(download.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(files.download(bob.token(), event.getString("url"), Map.of("If-None-Match", download.header("etag")))
          .status()).isEqualTo(304);

      JsonArray history = api.expect(200, HttpMethod.GET,
          "/api/conversations/" + conversation + "/messages?afterSeq=0", bob.token(), null).getJsonArray("messages");
      assertThat(history.stream().map(m -> ((JsonObject) m).getString("type")))
          .containsExactly("new_message", "file_uploaded");
      assertThat(history.getJsonObject(1).getString("fileId")).isEqualTo(fileId);
      assertThat(history.getJsonObject(1).getLong("seq")).isEqualTo(2);
      assertThat(stored.holds(fileId)).as("%s in %s", fileId, stored.all()).isTrue();
    }
  }

  @Test
  void contentTypesComeFromTheBytesAndRiskyOnesAreAttachments() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "types");
    byte[] html = "<html><body><script>alert(document.cookie)</script></body></html>".getBytes(StandardCharsets.UTF_8);
    String page = upload(alice, conversation, "page.html", "text/html", new GeneratedContent(2, html.length, html));
    String blob = upload(alice, conversation, "photo.png", "image/png", GeneratedContent.random(3, 50_000));
    byte[] pdf = "%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
        .getBytes(StandardCharsets.US_ASCII);
    String document = upload(alice, conversation, "report.pdf", "application/pdf",
        new GeneratedContent(2, pdf.length, pdf));

    Download asText = files.download(alice.token(), "/api/files/" + page);
    assertThat(asText.header("content-type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(asText.header("content-security-policy")).contains("sandbox");
    assertThat(asText.bytes()).isEqualTo(html);
    Download binary = files.download(alice.token(), "/api/files/" + blob);
    assertThat(binary.header("content-type")).isEqualTo("application/octet-stream");
    assertThat(binary.header("content-disposition")).startsWith("attachment;");
    // A PDF viewer would run the document's scripts in our origin: it is only ever downloaded.
    Download asPdf = files.download(alice.token(), "/api/files/" + document);
    assertThat(asPdf.header("content-type")).isEqualTo("application/pdf");
    assertThat(asPdf.header("content-disposition")).startsWith("attachment;");
    assertThat(asPdf.header("content-security-policy")).contains("sandbox");
  }

  @Test
  void onlyMembersUploadAndDownload() {
    Account alice = api.register("alice");
    Account carol = api.register("carol");
    String conversation = api.createConversation(alice, "private");
    String fileId = upload(alice, conversation, "secret.txt", "text/plain", text("the plan"));
    Set<String> before = storedFiles();

    Reply refused = files.upload(carol.token(), conversation,
        FileClient.multipart("x.txt", "text/plain", text("hi"), null));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().getInteger("code")).isEqualTo(403);
    assertThat(files.download(carol.token(), "/api/files/" + fileId).status()).isEqualTo(403);

    assertThat(files.upload(alice.token(), UUID.randomUUID().toString(),
        FileClient.multipart("x.txt", "text/plain", text("hi"), null)).status()).isEqualTo(404);
    assertThat(files.download(alice.token(), "/api/files/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(files.download(alice.token(), "/api/files/not-a-file-id").status()).isEqualTo(404);
    assertThat(count("SELECT count(*) FROM files WHERE conversation_id = '" + conversation + "'")).isEqualTo(1);
    assertThat(storedFiles()).isEqualTo(before);
  }

  @Test
  void aFileOverTheLimitGets413AndNothingIsStored() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "too big");
    Set<String> before = storedFiles();
    Multipart big = FileClient.multipart("big.bin", "application/octet-stream",
        GeneratedContent.random(4, LIMIT + MB), null);

    // Declared length over the limit: refused before the body is read.
    assertThat(files.upload(alice.token(), conversation, big, true).status()).isEqualTo(413);
    // Chunked, so nothing is declared: refused once the streamed bytes pass the limit.
    Reply streamed = files.upload(alice.token(), conversation, big, false);
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(streamed.body().getInteger("code")).isEqualTo(413);

    Wait.until("the aborted upload's temp file is deleted", WAIT, () -> storedFiles().equals(before));
    assertThat(count("SELECT count(*) FROM files WHERE conversation_id = '" + conversation + "'")).isZero();
    assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isZero();
  }

  @Test
  void aClientThatWaitsFor100ContinueSendsOnlyWhatWillBeKept() throws IOException {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "polite client");
    GeneratedContent content = GeneratedContent.random(8, 2 * MB);

    Reply accepted = files.upload(alice.token(), conversation,
        FileClient.multipart("ok.bin", "application/octet-stream", content, null), true, true);
    assertThat(accepted.status()).isEqualTo(201);
    assertThat(files.download(alice.token(), accepted.body().getString("url")).sha256()).isEqualTo(content.sha256());

    // Too big by its declared length: 413 at once, no 100 Continue, and the connection closes without the
    // body (read off a socket: the JDK 17 client never returns from a refused Expect: 100-continue).
    try (Socket socket = new Socket("127.0.0.1", cluster.gatewayPort())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(("POST /api/conversations/" + conversation + "/files HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\nAuthorization: Bearer " + alice.token() + "\r\n"
          + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (LIMIT + MB) + "\r\n"
          + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("\"code\":413");
    }
  }

  @Test
  void anUploadCutOffMidwayLeavesNoRowAndNoFile() throws IOException {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "flaky uplink");
    Set<String> before = storedFiles();
    Multipart body = FileClient.multipart("half.bin", "application/octet-stream",
        GeneratedContent.random(5, 8 * MB), null);

    try (Socket socket = new Socket("127.0.0.1", cluster.gatewayPort()); InputStream in = body.open()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/conversations/" + conversation + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + alice.token() + "\r\nContent-Type: " + body.contentType() + "\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // More than a bucket's first part (5 MiB), so that a multipart upload is under way there too.
      out.write(in.readNBytes((int) (6 * MB)));
      out.flush();
      Wait.until("storage holds the upload in progress", WAIT, () -> !incoming().isEmpty());
    }

    Wait.until("the cut-off upload is dropped", WAIT, () -> storedFiles().equals(before));
    assertThat(count("SELECT count(*) FROM files WHERE conversation_id = '" + conversation + "'")).isZero();
    assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isZero();
  }

  @Test
  void hostileFilenamesAreStoredUnderGeneratedNamesAndShownSanitized() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "names");
    String traversal = upload(alice, conversation, "../../etc/passwd", "text/plain", text("root:x:0:0"));
    String windows = upload(alice, conversation, "..\\..\\boot.ini", "text/plain", text("[boot]"));
    String controls = upload(alice, conversation, "re\u0001po\u001Brt\u202E.txt", "text/plain", text("ok"));

    assertThat(disposition(alice, traversal)).isEqualTo("inline; filename=\"passwd\"; filename*=UTF-8''passwd");
    assertThat(disposition(alice, windows)).endsWith("filename*=UTF-8''boot.ini");
    assertThat(disposition(alice, controls)).endsWith("filename*=UTF-8''report.txt");
    for (String id : List.of(traversal, windows, controls)) {
      assertThat(stored.holds(id)).isTrue();
    }
    // Every stored file is named by a generated id only (two levels under FILES_DIR, or the prefix and the id).
    assertThat(storedFiles()).allSatisfy(name -> {
      String id = name.substring(name.lastIndexOf('/') + 1);
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);
      assertThat(name).isEqualTo(stored.nameOf(id));
    });
  }

  @Test
  void aRangeRequestGetsExactlyThatSlice() {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "ranges");
    GeneratedContent content = GeneratedContent.random(6, 1_000_000);
    String url = "/api/files/" + upload(alice, conversation, "data.bin", "application/octet-stream", content);

    Download middle = files.download(alice.token(), url, Map.of("Range", "bytes=1000-1999"));
    assertThat(middle.status()).isEqualTo(206);
    assertThat(middle.header("content-range")).isEqualTo("bytes 1000-1999/1000000");
    assertThat(middle.header("content-length")).isEqualTo("1000");
    assertThat(middle.bytes()).isEqualTo(content.slice(1000, 2000));

    Download tail = files.download(alice.token(), url, Map.of("Range", "bytes=-300000"));
    assertThat(tail.status()).isEqualTo(206);
    assertThat(tail.bytes()).isEqualTo(content.slice(700_000, 1_000_000));

    Download past = files.download(alice.token(), url, Map.of("Range", "bytes=1000000-"));
    assertThat(past.status()).isEqualTo(416);
    assertThat(past.header("content-range")).isEqualTo("bytes */1000000");
  }

  @Test
  void uploadsAboveTheRateLimitGet429() throws Exception {
    Account alice = api.register("alice");
    String conversation = api.createConversation(alice, "spam");
    ExecutorService pool = Executors.newFixedThreadPool(UPLOADS_PER_MINUTE + 1);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i <= UPLOADS_PER_MINUTE; i++) {
        int n = i;
        statuses.add(pool.submit(() -> files.upload(alice.token(), conversation,
            FileClient.multipart("n" + n + ".txt", "text/plain", text("n" + n), null)).status()));
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        codes.add(status.get(60, TimeUnit.SECONDS));
      }
      assertThat(codes).filteredOn(c -> c == 201).hasSize(UPLOADS_PER_MINUTE);
      assertThat(codes).filteredOn(c -> c == 429).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tenConcurrentTwentyMegabyteUploadsCompleteWithABoundedHeap() throws Exception {
    Account alice = api.register("alice");
    Account bob = api.register("bob");
    String conversation = api.createConversation(alice, "big files", bob);
    List<GeneratedContent> contents = IntStream.range(0, 10)
        .mapToObj(i -> GeneratedContent.random(100 + i, 20 * MB)).toList();
    contents.forEach(GeneratedContent::sha256);
    ExecutorService pool = Executors.newFixedThreadPool(contents.size());
    try (HeapSampler heap = HeapSampler.start()) {
      List<Future<String>> uploads = new ArrayList<>();
      for (int i = 0; i < contents.size(); i++) {
        GeneratedContent content = contents.get(i);
        String name = "big-" + i + ".bin";
        uploads.add(pool.submit(() -> upload(alice, conversation, name, "application/octet-stream", content)));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> upload : uploads) {
        ids.add(upload.get(5, TimeUnit.MINUTES));
      }
      // Read off plain sockets: the JDK client reads ahead megabytes per response, and it shares this JVM.
      List<Future<Download>> downloads = ids.stream()
          .map(id -> pool.submit(() -> files.downloadLean(bob.token(), "/api/files/" + id))).toList();
      for (int i = 0; i < ids.size(); i++) {
        Download download = downloads.get(i).get(5, TimeUnit.MINUTES);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.size()).isEqualTo(20 * MB);
        assertThat(download.sha256()).as("file %d", i).isEqualTo(contents.get(i).sha256());
      }
      log.info("10 concurrent 20 MB uploads, then downloads, gateway A <-> storage on node B: {}", heap.report());
      // Both nodes live in this JVM. Buffering whole files would hold 200 MB at once; chunks hold a few.
      assertThat(heap.peakLiveAboveBaseline()).isLessThan(heapBound(contents.size()));
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("SELECT count(*) FROM files WHERE conversation_id = '" + conversation + "'")).isEqualTo(10);
  }

  /** The most the heap may grow with {@code uploads} big uploads in progress. */
  protected long heapBound(int uploads) {
    return 100 * MB;
  }

  private String upload(Account who, String conversation, String name, String clientType, GeneratedContent content) {
    Reply reply = files.upload(who.token(), conversation, FileClient.multipart(name, clientType, content, null));
    assertThat(reply.status()).as(name + ": " + reply.body().encode()).isEqualTo(201);
    return reply.body().getString("fileId");
  }

  private String disposition(Account who, String fileId) {
    return files.download(who.token(), "/api/files/" + fileId).header("content-disposition");
  }

  private static GeneratedContent text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    return new GeneratedContent(0, bytes.length, bytes);
  }

  /** Every stored file and upload in progress. */
  private Set<String> storedFiles() {
    return stored.all();
  }

  private Set<String> incoming() {
    return stored.incoming();
  }

  private long count(String sql) {
    return cluster.database.count(sql);
  }
}
