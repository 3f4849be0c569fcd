package io.chorus.storage;

import static io.chorus.storage.StorageFixtures.await;
import static io.chorus.storage.StorageFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.fixtures.TestDatabase;
import io.chorus.fixtures.Wait;
import io.chorus.model.ChorusException;
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
import java.time.Duration;
import java.time.Instant;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
import org.junit.jupiter.api.TestInstance;

/**
 * The file service's plain classes against a real database and a real directory ({@code FILE_STORE=local};
 * {@link S3FileStorageIT} runs the same against a bucket), without a bus: commit with a seq of its own,
 * history, reads by range, and every way an upload can end without a file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileStorageIT {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

  private final TestDatabase db = TestDatabase.fresh();
  private long maxBytes;
  private long idleMs;
  private Vertx vertx;
  private Context context;
  Pool pool;
  private Path dir;
  FileStore store;
  StoreProbe probe;
  FileUploads uploads;
  FileDownloads downloads;
  private MessageRepository messages;
  private final List<JsonObject> published = new CopyOnWriteArrayList<>();
  // The fields and helpers without "private" serve the subclasses' own tests too (same package).

  /** What a store holds, as the tests see it from outside. */
  interface StoreProbe {
    /** Uploads in progress the store can see (temp files, multipart uploads). */
    long incoming() throws Exception;

    /** Every stored file's name (path or key). */
    Set<String> stored() throws Exception;

    byte[] read(UUID fileId) throws Exception;

    /** Stores {@code bytes} under {@code name} behind the store's back, as a crash or a person would. */
    String place(String name, byte[] bytes) throws Exception;

    /** The name under which the store keeps a file, as {@link #stored} shows it. */
    String nameOf(UUID fileId);
  }

  /** MAX_UPLOAD_BYTES: more than {@link #inProgressBytes} and than the first test's file. */
  long maxUploadBytes() {
    return 64 * 1024;
  }

  /** FILE_SESSION_IDLE_MS. */
  long idleTimeoutMs() {
    return 300;
  }

  /** The store under test, on {@code config} (its files under {@code dir}). */
  FileStore newStore(Vertx vertx, StorageConfig config) {
    return new LocalFileStore(vertx, config.filesDir());
  }

  StoreProbe newProbe() {
    LocalFileStore local = (LocalFileStore) store;
    return new StoreProbe() {
      @Override
      public long incoming() throws IOException {
        try (Stream<Path> parts = Files.list(dir.resolve(LocalFileStore.INCOMING))) {
          return parts.count();
        }
      }

      @Override
      public Set<String> stored() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
          return all.filter(Files::isRegularFile).map(Path::toString).collect(Collectors.toSet());
        }
      }

      @Override
      public byte[] read(UUID fileId) throws IOException {
        return Files.readAllBytes(local.pathOf(fileId));
      }

      @Override
      public String place(String name, byte[] bytes) throws IOException {
        UUID fileId = FileStore.fileIdOrNull(name);
        Path path = fileId != null ? local.pathOf(fileId) : dir.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.write(path, bytes).toString();
      }

      @Override
      public String nameOf(UUID fileId) {
        return local.pathOf(fileId).toString();
      }
    };
  }

  /** Bytes an upload must have received before the store shows it in progress. */
  int inProgressBytes() {
    return 10;
  }

  /** The first test's file: several parts in a bucket. */
  int committedFileBytes() {
    return 40_000;
  }

  @BeforeAll
  void setUp() throws IOException {
    maxBytes = maxUploadBytes();
    idleMs = idleTimeoutMs();
    dir = Files.createTempDirectory("chorus-files-");
    StorageConfig config = new StorageConfig(db.uri(), 4, StorageConfig.DEFAULT_POOL_QUEUE, dir.toString(), maxBytes, idleMs);
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    await(DatabaseBootstrap.prepare(vertx, config));
    pool = config.newPool(vertx);
    store = newStore(vertx, config);
    probe = newProbe();
    onLoop(() -> store.prepare(config.fileIdleMs()));
    FileRepository repository = new FileRepository(pool);
    uploads = new FileUploads(vertx, store, repository, config, "storage.transfer.test",
        (address, event) -> published.add(event.copy().put("publishedOn", address)));
    downloads = new FileDownloads(vertx, store, repository, config, "storage.transfer.test");
    messages = new MessageRepository(pool);
  }

  @AfterAll
  void tearDown() throws Exception {
    onLoop(() -> store.close());
    await(pool.close());
    await(vertx.close());
    db.drop();
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The coordinators belong to one event loop, as in the verticle: every call goes through it. */
  <T> T onLoop(Supplier<Future<T>> call) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(result));
    return await(result.future());
  }

  /**
   * A file whose row is there but whose bytes are gone from the store (removed by hand, a bucket rule, a folder
   * not shared): 404 saying so, not the 503 "unavailable" a client would retry for ever.
   */
  @Test
  void aFileWhoseBytesAreGoneIsNotFoundRatherThanUnavailable() {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadResult file = uploaded(alice, c, Buffer.buffer("soon gone"), "gone.txt");
    onLoop(() -> store.delete(UUID.fromString(file.fileId())));

    ChorusException missing = failureOf(() -> downloads.open(new OpenDownload(file.fileId(), alice.userId(), 0, 9)));

    assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(missing.getMessage()).isEqualTo("the file's bytes are missing from storage");
  }

  /**
   * Stored files no row records, as a crash between storing and recording a file or a failed delete leaves them, go;
   * a recorded file, the file of an upload whose row is live or expired within the grace (being committed right
   * now: a commit no longer renews its row) and what is not a file id stay. Only files written before the given
   * time are judged. Pages of two, from a random point: the sweep goes round to the first name.
   */
  @Test
  void theSweepDeletesStoredFilesThatNoRowRecords() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadResult recorded = uploaded(alice, c, Buffer.buffer("recorded"), "kept.txt");
    UUID crashed = UUID.randomUUID();
    UUID deleteFailed = UUID.randomUUID();
    UUID committing = UUID.randomUUID();
    UUID slowCommit = UUID.randomUUID();
    UUID nodeDied = UUID.randomUUID();
    uploadRow(alice, committing, "now() + interval '1 hour'");
    uploadRow(alice, slowCommit, "now() - interval '1 second'"); // no longer renewed, within the grace
    uploadRow(alice, nodeDied, "now() - interval '1 hour'");
    Map<UUID, String> placed = new HashMap<>();
    for (UUID id : new UUID[] {crashed, deleteFailed, committing, slowCommit, nodeDied}) {
      placed.put(id, probe.place(id.toString(), new byte[] {1, 2, 3}));
    }
    String notAFile = probe.place("notes/readme.txt", new byte[] {4});
    Set<String> before = storedFiles();
    OrphanSweep sweep = new OrphanSweep(store, new FileRepository(pool), 2, 1_000, 60_000);

    OrphanSweep.Outcome young = onLoop(() -> sweep.run(UUID.randomUUID().toString(),
        Instant.now().minus(Duration.ofHours(1))));
    assertThat(young.deleted()).isZero();
    assertThat(storedFiles()).isEqualTo(before);

    OrphanSweep.Outcome swept = onLoop(() -> sweep.run(UUID.randomUUID().toString(),
        Instant.now().plus(Duration.ofMinutes(1))));
    assertThat(storedFiles()).contains(probe.nameOf(UUID.fromString(recorded.fileId())), placed.get(committing),
            placed.get(slowCommit), notAFile)
        .doesNotContain(placed.get(crashed), placed.get(deleteFailed), placed.get(nodeDied));
    assertThat(swept.examined()).as("every stored file looked at once").isEqualTo(fileIds(before));
    assertThat(swept.deleted()).isGreaterThanOrEqualTo(3);
  }

  /** A sweep looks at no more than its pages, however many files there are. */
  @Test
  void theSweepLooksAtABoundedNumberOfPages() throws Exception {
    for (int i = 0; i < 5; i++) {
      probe.place(UUID.randomUUID().toString(), new byte[] {5});
    }
    Set<String> before = storedFiles();
    OrphanSweep sweep = new OrphanSweep(store, new FileRepository(pool), 2, 2, 60_000);

    OrphanSweep.Outcome swept = onLoop(() -> sweep.run("", Instant.now().plus(Duration.ofMinutes(1))));

    assertThat(swept.examined()).isEqualTo(4);
    assertThat(swept.deleted()).isLessThanOrEqualTo(4);
    assertThat(storedFiles()).hasSizeGreaterThanOrEqualTo(before.size() - 4);
  }

  /** How many of the stored names are a file's (the last part of the name a file id). */
  private static long fileIds(Set<String> names) {
    return names.stream().filter(name -> FileStore.fileIdOrNull(name.substring(name.lastIndexOf('/') + 1)) != null)
        .count();
  }

  private void uploadRow(UserInfo user, UUID fileId, String expiresAt) {
    StorageFixtures.await(pool.query("INSERT INTO uploads (id, user_id, file_id, expires_at) VALUES ('"
        + UUID.randomUUID() + "', '" + user.userId() + "', '" + fileId + "', " + expiresAt + ")").execute());
  }

  /** A file of one chunk, uploaded and committed by {@code user} into {@code c}. */
  UploadResult uploaded(UserInfo user, ConversationInfo c, Buffer bytes, String filename) {
    UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), user.userId())));
    onLoop(() -> uploads.chunk(ticket.uploadId(), bytes));
    return onLoop(() -> uploads.commit(ticket.uploadId(), new CommitUpload(filename, null)));
  }

  /** The contract code the call failed with. */
  private ErrorCode failureOnLoop(Supplier<Future<?>> call) {
    return failureOf(call).code();
  }

  /** The contract failure the call ended with. */
  ChorusException failureOf(Supplier<Future<?>> call) {
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
    return failure(result.future());
  }

  /** Another storage node's uploads on the same database and directory, with limits of its own. */
  private FileUploads uploadsWith(int maxConcurrent, long quotaBytes) {
    StorageConfig config = new StorageConfig(db.uri(), 4, StorageConfig.DEFAULT_POOL_QUEUE, dir.toString(), maxBytes,
        60_000, StorageConfig.DEFAULT_APPEND_BATCHES, maxConcurrent, quotaBytes);
    return new FileUploads(vertx, store, new FileRepository(pool), config, "storage.transfer.other", (a, e) -> { });
  }

  private UploadResult commitOn(FileUploads node, BeginUpload begin, int size) {
    UploadTicket ticket = onLoop(() -> node.begin(begin));
    onLoop(() -> node.chunk(ticket.uploadId(), Buffer.buffer(new byte[size])));
    return onLoop(() -> node.commit(ticket.uploadId(), new CommitUpload("f.bin", null)));
  }

  long uploadsInProgress(UserInfo user) {
    return await(pool.query("SELECT count(*) FROM uploads WHERE user_id = '" + user.userId() + "'")
        .execute().map(r -> r.iterator().next().getLong(0)));
  }

  UserInfo user(String name) {
    return await(new UserRepository(pool).createUser(
        new CreateUser(name + "_" + UUID.randomUUID().toString().substring(0, 8), "hash")));
  }

  ConversationInfo conversation(UserInfo owner, UserInfo... members) {
    return await(new ConversationRepository(pool).createConversation(
        new CreateConversation(owner.userId(), "files", Stream.of(members).map(UserInfo::username).toList())));
  }

  long rows(String table, String conversationId) {
    return await(pool.query("SELECT count(*) FROM " + table + " WHERE conversation_id = '" + conversationId + "'")
        .execute().map(r -> r.iterator().next().getLong(0)));
  }

  long partFiles() throws Exception {
    return probe.incoming();
  }

  Set<String> storedFiles() throws Exception {
    return probe.stored();
  }

  private void awaitNoUploadsInProgress(UserInfo user) throws Exception {
    awaitZero("uploads still counted in progress", () -> uploadsInProgress(user));
  }

  private void awaitNoPartFiles() throws Exception {
    awaitZero("uploads in progress still in the store", this::partFiles);
  }

  /** Storage-side clean-up has no event to wait for: polls what it leaves (rows, files) until it is gone. */
  private static void awaitZero(String what, Count count) {
    Wait.until(what, Duration.ofSeconds(10), () -> {
      try {
        return count.get() == 0;
      } catch (Exception e) {
        throw new AssertionError(what + ": could not count", e);
      }
    });
  }

  private interface Count {
    long get() throws Exception;
  }

  @Test
  void aCommittedUploadIsStoredWithTheNextSeqAndReadsBackByRange() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    await(messages.append(AppendMessage.user(c.conversationId(), alice.userId(), "first", null)));
    byte[] bytes = new byte[committedFileBytes()];
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
    assertThat(probe.read(UUID.fromString(result.fileId()))).isEqualTo(bytes);
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

    var page = await(messages.history(HistoryQuery.forMember(c.conversationId(), alice.userId(), 0L, null, 10)));
    assertThat(page.messages()).extracting(m -> m.toEvent().getString("type"))
        .containsExactly("new_message", "file_uploaded");
    JsonObject announced = event.copy();
    announced.remove("publishedOn");
    assertThat(page.messages().get(1).toEvent()).isEqualTo(announced);

    FileInfo info = onLoop(() -> downloads.get(new FileRef(result.fileId(), alice.userId())));
    assertThat(info.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(info.size()).isEqualTo(bytes.length);
    assertThat(storedFiles()).anyMatch(name -> name.endsWith(result.fileId()));
    DownloadTicket read = onLoop(() -> downloads.open(new OpenDownload(result.fileId(), alice.userId(), 100, 30_000)));
    Buffer got = Buffer.buffer();
    while (got.length() < 30_000) {
      got.appendBuffer(onLoop(() -> downloads.read(read.downloadId())));
    }
    assertThat(got.getBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100, 30_100));
    assertThat(downloads.active()).as("a finished download closes itself").isZero();
  }

  /**
   * A download holds a file or a bucket connection while its reader reads: one user has at most
   * {@code MAX_CONCURRENT_DOWNLOADS_PER_USER} open (429 beyond, saying so), whichever way one ends frees its place,
   * and another user is not held back by them.
   */
  @Test
  void oneUserHasAtMostTheConcurrentDownloadsAllowed() {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = conversation(alice, bob);
    UploadResult file = uploaded(alice, c, Buffer.buffer("x".repeat(1_000)), "many.txt");
    OpenDownload aliceReads = new OpenDownload(file.fileId(), alice.userId(), 0, 1_000);
    List<DownloadTicket> open = new ArrayList<>();
    for (int i = 0; i < StorageConfig.DEFAULT_MAX_CONCURRENT_DOWNLOADS; i++) {
      open.add(onLoop(() -> downloads.open(aliceReads)));
    }

    ChorusException refused = failureOf(() -> downloads.open(aliceReads));
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.getMessage()).isEqualTo("too many downloads at once: at most "
        + StorageConfig.DEFAULT_MAX_CONCURRENT_DOWNLOADS + "; finish one first");
    DownloadTicket bobs = onLoop(() -> downloads.open(new OpenDownload(file.fileId(), bob.userId(), 0, 1_000)));

    onLoop(() -> downloads.read(open.get(0).downloadId())); // read to the end: it closes itself
    onLoop(() -> downloads.close(open.get(1).downloadId()));
    open.set(0, onLoop(() -> downloads.open(aliceReads)));
    open.set(1, onLoop(() -> downloads.open(aliceReads)));
    assertThat(failureOf(() -> downloads.open(aliceReads)).code()).isEqualTo(ErrorCode.RATE_LIMITED);

    for (DownloadTicket ticket : open) {
      onLoop(() -> downloads.close(ticket.downloadId()));
    }
    onLoop(() -> downloads.close(bobs.downloadId()));
    assertThat(downloads.active()).isZero();
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
    onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer(new byte[(int) maxBytes - 10])));

    assertThat(failureOnLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer(new byte[20]))))
        .isEqualTo(ErrorCode.TOO_LARGE);
    awaitNoPartFiles();
    assertThat(failureOnLoop(() -> uploads.commit(ticket.uploadId(), new CommitUpload("x", null))))
        .isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(rows("files", c.conversationId())).isZero();
  }

  @Test
  void anUploadWhoseGatewayWentQuietIsDroppedAfterTheIdleTimeout() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer(new byte[inProgressBytes()])));
    assertThat(partFiles()).isEqualTo(1);

    // Nothing more arrives, as when the gateway's node dies mid-upload.
    awaitNoPartFiles();
    assertThat(uploads.active()).isZero();
    // Not a 404: the conversation is there; the upload is what expired, and sending it again will do.
    ChorusException late = failureOf(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer("late")));
    assertThat(late.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(late.getMessage()).startsWith("upload expired").contains(idleMs + " ms")
        .contains("send the file again");
    assertThat(rows("files", c.conversationId())).isZero();
    // The expiry frees the user's place in the database after it removed the temp file: no reply to wait on.
    awaitNoUploadsInProgress(alice);
  }

  @Test
  void anUploadKeptAliveWithEmptyChunksOutlivesTheIdleTimeout() throws Exception {
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    UploadTicket ticket = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    assertThat(ticket.idleMs()).isEqualTo(idleMs);
    onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer("slow ")));
    // A slow client's gateway has nothing to forward for a while: it says the upload is alive.
    for (int i = 0; i < 8; i++) {
      await(vertx.timer(idleMs / 3));
      onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer()));
    }
    onLoop(() -> uploads.chunk(ticket.uploadId(), Buffer.buffer("but alive")));

    UploadResult result = onLoop(() -> uploads.commit(ticket.uploadId(), new CommitUpload("slow.txt", null)));
    assertThat(new String(probe.read(UUID.fromString(result.fileId())), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("slow but alive");
    assertThat(uploadsInProgress(alice)).isZero();
  }

  @Test
  void uploadsInProgressAreLimitedPerUserAcrossStorageNodes() {
    FileUploads nodeA = uploadsWith(2, StorageConfig.DEFAULT_USER_QUOTA_BYTES);
    FileUploads nodeB = uploadsWith(2, StorageConfig.DEFAULT_USER_QUOTA_BYTES);
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = await(new ConversationRepository(pool).createConversation(
        new CreateConversation(alice.userId(), "busy", List.of(bob.username()))));
    BeginUpload asAlice = new BeginUpload(c.conversationId(), alice.userId());

    UploadTicket first = onLoop(() -> nodeA.begin(asAlice));
    UploadTicket second = onLoop(() -> nodeB.begin(asAlice));
    ChorusException third = failureOf(() -> nodeA.begin(asAlice));
    assertThat(third.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(third.getMessage()).isEqualTo("too many uploads in progress: at most 2 at once");
    assertThat(failureOnLoop(() -> nodeB.begin(asAlice))).isEqualTo(ErrorCode.RATE_LIMITED);
    // Another user's uploads are theirs.
    UploadTicket bobs = onLoop(() -> nodeB.begin(new BeginUpload(c.conversationId(), bob.userId())));

    // An upload that ends, stored or not, frees its place.
    onLoop(() -> nodeB.abort(second.uploadId()));
    UploadTicket fourth = onLoop(() -> nodeB.begin(asAlice));
    onLoop(() -> nodeA.chunk(first.uploadId(), Buffer.buffer("done")));
    onLoop(() -> nodeA.commit(first.uploadId(), new CommitUpload("done.txt", null)));
    UploadTicket fifth = onLoop(() -> nodeA.begin(asAlice));
    assertThat(uploadsInProgress(alice)).isEqualTo(2);

    onLoop(() -> nodeB.abort(fourth.uploadId()));
    onLoop(() -> nodeA.abort(fifth.uploadId()));
    onLoop(() -> nodeB.abort(bobs.uploadId()));
    assertThat(uploadsInProgress(alice)).isZero();
    assertThat(uploadsInProgress(bob)).isZero();
  }

  @Test
  void theUploadsOfAStorageNodeThatDiedStopCountingWhenTheyExpire() {
    FileUploads node = uploadsWith(2, StorageConfig.DEFAULT_USER_QUOTA_BYTES);
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    BeginUpload asAlice = new BeginUpload(c.conversationId(), alice.userId());
    // Rows a crashed node left behind: one that still counts, one whose time is up.
    await(pool.query("INSERT INTO uploads (id, user_id, expires_at) VALUES ('" + UUID.randomUUID() + "', '"
        + alice.userId() + "', now() + interval '1 hour'), ('" + UUID.randomUUID() + "', '" + alice.userId()
        + "', now() - interval '1 second')").execute());

    UploadTicket ticket = onLoop(() -> node.begin(asAlice));
    assertThat(failureOnLoop(() -> node.begin(asAlice))).isEqualTo(ErrorCode.RATE_LIMITED);
    onLoop(() -> node.abort(ticket.uploadId()));
  }

  @Test
  void storedBytesAreLimitedByTheUsersQuota() throws Exception {
    long quota = 50_000;
    FileUploads node = uploadsWith(5, quota);
    UserInfo alice = user("alice");
    ConversationInfo c = conversation(alice);
    BeginUpload asAlice = new BeginUpload(c.conversationId(), alice.userId());
    Set<String> before = storedFiles();
    commitOn(node, asAlice, 30_000);

    // Over what is left: refused as soon as the bytes pass it, and the upload is dropped.
    UploadTicket tooBig = onLoop(() -> node.begin(asAlice));
    ChorusException refused = failureOf(() -> node.chunk(tooBig.uploadId(), Buffer.buffer(new byte[20_001])));
    assertThat(refused.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(refused.getMessage())
        .isEqualTo("storage quota exceeded: your files take 30000 of the 50000 bytes you may store");

    // Two uploads that each fit, but not together: the second commit counts the first.
    UploadTicket one = onLoop(() -> node.begin(asAlice));
    UploadTicket two = onLoop(() -> node.begin(asAlice));
    onLoop(() -> node.chunk(one.uploadId(), Buffer.buffer(new byte[15_000])));
    onLoop(() -> node.chunk(two.uploadId(), Buffer.buffer(new byte[15_000])));
    onLoop(() -> node.commit(one.uploadId(), new CommitUpload("one.bin", null)));
    assertThat(failureOnLoop(() -> node.commit(two.uploadId(), new CommitUpload("two.bin", null))))
        .isEqualTo(ErrorCode.TOO_LARGE);

    // Exactly full, then nothing more may even begin.
    commitOn(node, asAlice, 5_000);
    ChorusException full = failureOf(() -> node.begin(asAlice));
    assertThat(full.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(full.getMessage()).contains("50000 of the 50000 bytes");

    assertThat(rows("files", c.conversationId())).isEqualTo(3);
    long stored = await(pool.query("SELECT sum(size) FROM files WHERE uploader_id = '" + alice.userId() + "'")
        .execute().map(r -> r.iterator().next().getLong(0)));
    assertThat(stored).isEqualTo(quota);
    assertThat(storedFiles()).hasSize(before.size() + 3);
    assertThat(partFiles()).isZero();
    assertThat(uploadsInProgress(alice)).isZero();
  }

  @Test
  void anAbortOrAFailedCommitLeavesNoRowAndNoFile() throws Exception {
    UserInfo alice = user("alice");
    UserInfo bob = user("bob");
    ConversationInfo c = await(new ConversationRepository(pool).createConversation(
        new CreateConversation(alice.userId(), "leavers", List.of(bob.username()))));
    Set<String> before = storedFiles();
    UploadTicket aborted = onLoop(() -> uploads.begin(new BeginUpload(c.conversationId(), alice.userId())));
    onLoop(() -> uploads.chunk(aborted.uploadId(), Buffer.buffer(new byte[inProgressBytes()])));
    assertThat(partFiles()).isEqualTo(1);
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
