package io.chorus.storage;

import static io.chorus.storage.TestDatabase.await;
import static io.chorus.storage.TestDatabase.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.ErrorCode;
import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileInfo;
import io.chorus.model.files.FileRef;
import io.chorus.model.files.OpenDownload;
import io.chorus.model.files.UploadResult;
import io.chorus.model.files.UploadTicket;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.UserInfo;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The file service's plain classes against a real database and a real directory, without a bus:
 * commit with a seq of its own, history, reads by range, and every way an upload can end without a file.
 */
class FileStorageIT {
  private static final TestDatabase db = TestDatabase.fresh();
  private static final long MAX_BYTES = 64 * 1024;
  private static final long IDLE_MS = 300;
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private static Vertx vertx;
  private static Context context;
  private static Pool pool;
  private static Path dir;
  private static FileStore store;
  private static FileUploads uploads;
  private static FileDownloads downloads;
  private static MessageRepository messages;
  private static final List<JsonObject> published = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("chorus-files-");
    StorageConfig config = new StorageConfig(db.uri, 4, StorageConfig.DEFAULT_POOL_QUEUE, dir.toString(), MAX_BYTES, IDLE_MS);
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    await(DatabaseBootstrap.prepare(vertx, config));
    pool = config.newPool(vertx);
    store = new FileStore(vertx, config.filesDir());
    await(store.prepare(config.fileIdleMs()));
    FileRepository repository = new FileRepository(pool);
    uploads = new FileUploads(vertx, store, repository, config, "storage.transfer.test",
        (address, event) -> published.add(event.copy().put("publishedOn", address)));
    downloads = new FileDownloads(vertx, store, repository, config, "storage.transfer.test");
    messages = new MessageRepository(pool);
  }

  @AfterAll
  static void tearDown() throws Exception {
    await(pool.close());
    await(vertx.close());
    db.drop();
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The coordinators belong to one event loop, as in the verticle: every call goes through it. */
  private static <T> T onLoop(Supplier<Future<T>> call) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(result));
    return await(result.future());
  }

  /** The contract code the call failed with. */
  private static ErrorCode failureOnLoop(Supplier<Future<?>> call) {
    Promise<Object> result = Promise.promise();
    context.runOnContext(v -> {
      Future<?> f;
      try {
        f = call.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> result.handle(ar.map(x -> (Object) x)));
    });
    return failure(result.future()).code();
  }

  private static UserInfo user(String name) {
    return await(new UserRepository(pool).createUser(
        new CreateUser(name + "_" + UUID.randomUUID().toString().substring(0, 8), "hash")));
  }

  private static ConversationInfo conversation(UserInfo owner) {
    return await(new ConversationRepository(pool).createConversation(
        new CreateConversation(owner.userId(), "files", List.of())));
  }

  private static long rows(String table, String conversationId) {
    return await(pool.query("SELECT count(*) FROM " + table + " WHERE conversation_id = '" + conversationId + "'")
        .execute().map(r -> r.iterator().next().getLong(0)));
  }

  private static long partFiles() throws IOException {
    try (Stream<Path> parts = Files.list(dir.resolve(FileStore.INCOMING))) {
      return parts.count();
    }
  }

  private static Set<Path> storedFiles() throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).collect(Collectors.toSet());
    }
  }

  private static void awaitNoPartFiles() throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (partFiles() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("temp files still there: " + partFiles());
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aCommittedUploadIsStoredWithTheNextSeqAndReadsBackByRange() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "first", null)));
    byte[] bytes = new byte[40_000];
    new Random(3).nextBytes(bytes);
    System.arraycopy(PNG, 0, bytes, 0, PNG.length);

    UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    for (int at = 0; at < bytes.length; at += 15_000) {
      Buffer chunk = Buffer.buffer(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 15_000)));
      onLoop(() -> uploads.chunk(ticket.uploadId(), chunk));
    }
    UploadResult result = onLoop(() -> uploads.commit(ticket.uploadId(), new CommitUpload("../../x/chart.png", "Q3")));

    assertThat(result.seq()).isEqualTo(2);
    assertThat(result.url()).isEqualTo("/api/files/" + result.fileId());
    assertThat(Files.readAllBytes(store.pathOf(UUID.fromString(result.fileId())))).isEqualTo(bytes);
    assertThat(partFiles()).isZero();
    JsonObject event = published.stream().filter(e -> result.fileId().equals(e.getString("fileId"))).findFirst()
        .orElseThrow();
    assertThat(event.getString("publishedOn")).isEqualTo("conv." + c.conversationId() + ".events");
    assertThat(event.getString("type")).isEqualTo("file_uploaded");
    assertThat(event.getLong("seq")).isEqualTo(2);
    assertThat(event.getString("filename")).isEqualTo("chart.png");
    assertThat(event.getString("contentType")).isEqualTo("image/png");
    assertThat(event.getString("username")).isEqualTo(alice.username());
    assertThat(event.getString("text")).isEqualTo("Q3");

    var page = await(messages.history(new HistoryQuery(c.conversationId(), alice.userId(), 0L, null, 10)));
    assertThat(page.messages()).extracting(m -> m.toEvent().getString("type"))
        .containsExactly("new_message", "file_uploaded");
    JsonObject announced = event.copy();
    announced.remove("publishedOn");
    assertThat(page.messages().get(1).toEvent()).isEqualTo(announced);

    FileInfo info = onLoop(() -> downloads.get(new FileRef(result.fileId(), alice.userId())));
    assertThat(info.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(info.size()).isEqualTo(bytes.length);
    DownloadTicket read = onLoop(() -> downloads.open(new OpenDownload(result.fileId(), alice.userId(), 100, 30_000)));
    Buffer got = Buffer.buffer();
    while (got.length() < 30_000) {
      got.appendBuffer(onLoop(() -> downloads.read(read.downloadId())));
    }
    assertThat(got.getBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 30_100));
    assertThat(downloads.active()).as("a finished download closes itself").isZero();
  }

  @Test
  void nonMembersAndUnknownFilesAreRefused() {
    UserInfo alice = user("alice");
    UserInfo mallory = user("mallory");
    ConversationInfo c = conversation(alice);
    assertThat(failureOnLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), mallory.userId()))))
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failureOnLoop(() -> uploads.begin(new BeginUpload(UUID.randomUUID().toString(), alice.userId()))))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failureOnLoop(() -> downloads.get(new FileRef(UUID.randomUUID().toString(), alice.userId()))))
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void anUploadOverTheLimitIsDroppedAndLeavesNothing() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer(new byte[(int) MAX_BYTES - 10])));

    assertThat(failureOnLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer(new byte[20]))))
        .isEqualTo(ErrorCode.TOO_LARGE);
    awaitNoPartFiles();
    assertThat(failureOnLoop(() -> uploads.commit(ticket.uploadId(), new CommitUpload("x", null))))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(rows("files", c.conversationId())).isZero();
  }

  @Test
  void anUploadWhoseGatewayWentQuietIsDroppedAfterTheIdleTimeout() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer("half of it")));
    assertThat(partFiles()).isEqualTo(1);

    // Nothing more arrives, as when the gateway's node dies mid-upload.
    awaitNoPartFiles();
    assertThat(uploads.active()).isZero();
    assertThat(failureOnLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer("late"))))
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(rows("files", c.conversationId())).isZero();
  }

  @Test
  void anAbortOrAFailedCommitLeavesNoRowAndNoFile() throws Exception {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = await(new ConversationRepository(pool).createConversation(
        new CreateConversation(alice.userId(), "leavers", List.of(bob.username()))));
    Set<Path> before = storedFiles();
    UploadTicket aborted = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    onLoop(() -> uploads.chunk(aborted.uploadId(), Buffer.buffer("some bytes")));
    onLoop(() -> uploads.abort(aborted.uploadId()));
    assertThat(partFiles()).isZero();

    // Bob starts an upload, then leaves the conversation before it is committed: the seq step refuses it.
    UploadTicket orphan = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), bob.userId())));
    onLoop(() -> uploads.chunk(orphan.uploadId(), Buffer.buffer("bob's bytes")));
    await(pool.query("DELETE FROM members WHERE user_id = '" + bob.userId() + "'").execute());
    assertThat(failureOnLoop(() -> uploads.commit(orphan.uploadId(), new CommitUpload("b.txt", null))))
        .isEqualTo(ErrorCode.FORBIDDEN);

    // The bytes had been moved into place before the refusal: they are gone again.
    assertThat(storedFiles()).isEqualTo(before);
    assertThat(rows("files", c.conversationId())).isZero();
    assertThat(rows("messages", c.conversationId())).isZero();
  }
}
