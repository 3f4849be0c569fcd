package io.chorus.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.model.admin.Announcement;
import io.chorus.model.admin.AnnouncementList;
import io.chorus.model.admin.AnnouncementQuery;
import io.chorus.model.admin.AuditEntry;
import io.chorus.model.admin.DatabaseState;
import io.chorus.model.admin.NewAnnouncement;
import io.chorus.model.admin.SetSuspended;
import io.chorus.model.admin.SuspendedUsers;
import io.chorus.model.chat.HistoryReply;
import io.chorus.model.chat.HistoryRequest;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.chat.SendResult;
import io.chorus.model.chat.TypingUpdate;
import io.chorus.model.events.PersonalEvent;
import io.chorus.model.events.RoomEvents;
import io.chorus.model.files.BeginUpload;
import io.chorus.model.files.CommitUpload;
import io.chorus.model.files.DownloadTicket;
import io.chorus.model.files.FileAddresses;
import io.chorus.model.files.FileAttachment;
import io.chorus.model.files.FileInfo;
import io.chorus.model.files.FileRef;
import io.chorus.model.files.OpenDownload;
import io.chorus.model.files.UploadResult;
import io.chorus.model.files.UploadTicket;
import io.chorus.model.llm.CompletionAccepted;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AddMember;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.AssistantChanged;
import io.chorus.model.storage.AssistantUsage;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.LastMessage;
import io.chorus.model.storage.MarkRead;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.chat.RegenerateAnswer;
import io.chorus.model.storage.ReadMarker;
import io.chorus.model.storage.ConversationList;
import io.chorus.model.storage.ConversationUsage;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.chorus.model.storage.FinishReason;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MemberRemoved;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.SetAssistant;
import io.chorus.model.storage.SetSettings;
import io.chorus.model.storage.SettingsChanged;
import io.chorus.model.storage.RoomNotice;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.Usage;
import io.chorus.model.storage.UsageTotals;
import io.chorus.model.storage.UserCredentials;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.UserRef;
import io.chorus.model.streams.StreamState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record that travels on the bus comes back equal from {@code toJson} and its decoder: each
 * endpoint's request and reply (through the endpoint's own decoders) and the event records. Samples set
 * every optional field, so a field one side forgets shows up here; a new endpoint without a sample fails
 * {@link #everyEndpointRecordHasASample}.
 */
class WireRecordsRoundTripTest {
  private static final String CONVERSATION = "0b9e8a3c-5d6f-4e1a-9b2c-7d8e9f0a1b2c";
  private static final String USER = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
  private static final String OTHER_USER = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
  private static final String MESSAGE = "3e4f5a6b-7c8d-4e9f-8a1b-2c3d4e5f6a7b";
  private static final String STREAM = "4f5a6b7c-8d9e-4f0a-9b2c-3d4e5f6a7b8c";
  private static final String FILE = "5a6b7c8d-9e0f-4a1b-8c3d-4e5f6a7b8c9d";
  private static final String AT = "2026-01-02T03:04:05.678Z";

  private static final Usage USAGE = new Usage(12, 34, true);
  private static final FileAttachment ATTACHMENT = new FileAttachment(FILE, "notes.txt", "text/plain", 42);
  private static final Announcement ANNOUNCEMENT = new Announcement(MESSAGE, "maintenance at noon", "warning", AT);
  private static final UserInfo ALICE = new UserInfo(USER, "alice");
  private static final ConversationInfo CONVERSATION_INFO = new ConversationInfo(
      CONVERSATION, "Plans", USER, List.of(ALICE, new UserInfo(OTHER_USER, "bob")), 7, AT, "visa", true,
      new ConversationInfo.Viewer(5, 2, new LastMessage(7, RoomEvents.AI_RESPONSE_COMPLETE, null, "Visa expert",
          "the answer", AT, "visa")));
  private static final StoredMessage ANSWER = new StoredMessage(MESSAGE, CONVERSATION, 7, AppendMessage.ROLE_ASSISTANT,
      USER, "alice", "the answer", "client-1", MESSAGE, STREAM, "error", 503, "the answer failed", USAGE, AT,
      ATTACHMENT, null, "visa", "model-b", new UserInfo(OTHER_USER, "bob"));
  private static final StoredMessage NOTICE = new StoredMessage(MESSAGE, CONVERSATION, 8, StoredMessage.ROLE_NOTICE,
      OTHER_USER, "bob", "", null, null, null, null, null, null, null, AT, null,
      new RoomNotice(RoomEvents.MEMBER_REMOVED, new JsonObject().put("removedBy", ALICE.toJson())));

  /** One fully populated sample of every wire record. */
  private static final Map<Class<?>, List<? extends JsonRecord>> SAMPLES = Map.ofEntries(
      Map.entry(Ack.class, List.of(Ack.INSTANCE)),
      Map.entry(CreateUser.class, List.of(new CreateUser("alice", "$argon2id$hash"))),
      Map.entry(UserInfo.class, List.of(ALICE)),
      Map.entry(FindUser.class, List.of(new FindUser("alice"))),
      Map.entry(UserCredentials.class, List.of(new UserCredentials(USER, "alice", "$argon2id$hash", true, true))),
      Map.entry(CreateConversation.class, List.of(new CreateConversation(USER, "Plans", List.of("bob", "carol"), "visa", true))),
      Map.entry(SetSettings.class, List.of(new SetSettings(CONVERSATION, USER, "alice", true))),
      Map.entry(SettingsChanged.class, List.of(new SettingsChanged(NOTICE, CONVERSATION_INFO))),
      Map.entry(SetAssistant.class, List.of(new SetAssistant(CONVERSATION, USER, "alice", "visa", "Visa expert"))),
      Map.entry(AssistantChanged.class, List.of(new AssistantChanged(NOTICE, CONVERSATION_INFO))),
      Map.entry(AuditEntry.class, List.of(new AuditEntry(USER, "user.suspend", OTHER_USER,
          new JsonObject().put("reason", "spam")))),
      Map.entry(SetSuspended.class, List.of(new SetSuspended(OTHER_USER, USER, true))),
      Map.entry(SuspendedUsers.class, List.of(new SuspendedUsers(List.of(USER, OTHER_USER)))),
      Map.entry(NewAnnouncement.class, List.of(new NewAnnouncement("maintenance at noon", "warning", USER))),
      Map.entry(Announcement.class, List.of(ANNOUNCEMENT)),
      Map.entry(AnnouncementQuery.class, List.of(new AnnouncementQuery(MESSAGE))),
      Map.entry(AnnouncementList.class, List.of(new AnnouncementList(List.of(ANNOUNCEMENT)))),
      Map.entry(DatabaseState.class, List.of(new DatabaseState("PostgreSQL 15.8", "7", 123_456, 9))),
      Map.entry(ConversationInfo.class, List.of(CONVERSATION_INFO)),
      Map.entry(LastMessage.class, List.of(CONVERSATION_INFO.viewer().lastMessage(),
          new LastMessage(3, RoomEvents.NEW_MESSAGE, USER, "alice", "hello", AT, null))),
      Map.entry(MarkRead.class, List.of(new MarkRead(CONVERSATION, USER, 5))),
      Map.entry(ReadMarker.class, List.of(new ReadMarker(CONVERSATION, 5, true))),
      Map.entry(UserRef.class, List.of(new UserRef(USER))),
      Map.entry(ConversationList.class, List.of(new ConversationList(List.of(CONVERSATION_INFO)))),
      Map.entry(MemberRef.class, List.of(new MemberRef(CONVERSATION, USER))),
      Map.entry(AddMember.class, List.of(new AddMember(CONVERSATION, USER, "bob"))),
      Map.entry(RemoveMember.class, List.of(new RemoveMember(CONVERSATION, USER, "alice", OTHER_USER))),
      Map.entry(MemberRemoved.class, List.of(new MemberRemoved(NOTICE, CONVERSATION_INFO))),
      Map.entry(AppendMessage.class, List.of(
          AppendMessage.user(CONVERSATION, USER, "hello", "client-1"),
          AppendMessage.assistant(CONVERSATION, MESSAGE, STREAM, "the answer", FinishReason.LENGTH, USAGE)
              .answeredBy("visa", "model-b").stoppedBy(ALICE).askedBy(OTHER_USER),
          AppendMessage.assistantError(CONVERSATION, MESSAGE, STREAM, "the ans", 503, "the answer failed", USAGE))),
      Map.entry(AppendResult.class, List.of(new AppendResult(ANSWER, true, true, "general"), new AppendResult(ANSWER, false, false, null))),
      Map.entry(HistoryQuery.class, List.of(
          HistoryQuery.forMember(CONVERSATION, USER, 3L, 9L, 20),
          HistoryQuery.internal(CONVERSATION, null, 9L, 20))),
      Map.entry(HistoryPage.class, List.of(new HistoryPage(List.of(ANSWER, NOTICE), 8))),
      Map.entry(UsageTotals.class, List.of(new UsageTotals(List.of(
          new ConversationUsage(CONVERSATION, "Plans", 3, 120, 340, 1)),
          List.of(new AssistantUsage("visa", 3, 120, 340))))),
      Map.entry(SendMessage.class, List.of(new SendMessage(CONVERSATION, USER, "alice", "hi", "client-1", true))),
      Map.entry(SendResult.class, List.of(new SendResult(MESSAGE, 7),
          new SendResult(MESSAGE, 7, RoomEvents.aiThinking(CONVERSATION, STREAM, MESSAGE)),
          SendResult.notAsked(MESSAGE, 7, 429, "too many questions"))),
      Map.entry(TypingUpdate.class, List.of(new TypingUpdate(CONVERSATION, USER, "alice", true))),
      Map.entry(HistoryRequest.class, List.of(new HistoryRequest(CONVERSATION, USER, 3L, null, 20))),
      Map.entry(HistoryReply.class, List.of(new HistoryReply(new JsonArray().add(ANSWER.toEvent()), 7,
          new JsonArray().add(new StreamState(STREAM, CONVERSATION, MESSAGE, USER, "worker-1", 2, "so far", 80)
              .snapshot())))),
      Map.entry(StopStream.class, List.of(new StopStream(CONVERSATION, STREAM, USER, "alice"))),
      Map.entry(StopResult.class, List.of(new StopResult(true))),
      Map.entry(StartCompletion.class, List.of(new StartCompletion(CONVERSATION, STREAM, MESSAGE, USER, "visa", 7L))),
      Map.entry(MessageRef.class, List.of(new MessageRef(CONVERSATION, MESSAGE, USER))),
      Map.entry(RegenerateAnswer.class, List.of(new RegenerateAnswer(CONVERSATION, MESSAGE, USER, "alice"))),
      Map.entry(CompletionAccepted.class, List.of(new CompletionAccepted(STREAM))),
      Map.entry(BeginUpload.class, List.of(new BeginUpload(CONVERSATION, USER))),
      Map.entry(UploadTicket.class, List.of(new UploadTicket(FILE, "storage.transfer.node-1", 15_000))),
      Map.entry(FileRef.class, List.of(new FileRef(FILE, USER))),
      Map.entry(FileInfo.class, List.of(
          new FileInfo(FILE, CONVERSATION, "notes.txt", "text/plain", 42, "ab".repeat(32), USER, AT))),
      Map.entry(OpenDownload.class, List.of(new OpenDownload(FILE, USER, 10, 20))),
      Map.entry(DownloadTicket.class, List.of(new DownloadTicket(FILE, "storage.transfer.node-1"))),
      // Not an endpoint's: the transfer address's commit body and reply, and what travels as events or in
      // the cluster's maps.
      Map.entry(CommitUpload.class, List.of(new CommitUpload("notes.txt", "see attached"))),
      Map.entry(UploadResult.class, List.of(new UploadResult(FILE, MESSAGE, 9, "/files/" + FILE))),
      Map.entry(PersonalEvent.class, List.of(new PersonalEvent(USER,
          RoomEvents.conversationAdded(CONVERSATION, "Plans", OTHER_USER, "bob")))),
      Map.entry(StreamState.class, List.of(
          new StreamState(STREAM, CONVERSATION, MESSAGE, USER, "worker-1", 2, "so far", 80))),
      Map.entry(StoredMessage.class, List.of(ANSWER, NOTICE)),
      Map.entry(RoomNotice.class, List.of(NOTICE.notice())),
      Map.entry(FileAttachment.class, List.of(ATTACHMENT)),
      Map.entry(Usage.class, List.of(USAGE)),
      Map.entry(ConversationUsage.class, List.of(new ConversationUsage(CONVERSATION, "Plans", 3, 120, 340, 1))),
      Map.entry(AssistantUsage.class, List.of(new AssistantUsage("visa", 3, 120, 340))));

  /** Every endpoint declared in Addresses and FileAddresses, plus a worker's stop address. */
  private static List<Endpoint<?, ?>> endpoints() {
    List<Endpoint<?, ?>> endpoints = new ArrayList<>();
    for (Class<?> holder : List.of(Addresses.class, FileAddresses.class)) {
      for (Field field : holder.getFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == Endpoint.class) {
          endpoints.add((Endpoint<?, ?>) get(field));
        }
      }
    }
    endpoints.add(Addresses.llmWorkerStop("worker-1"));
    endpoints.add(Addresses.llmAssistantStart("visa"));
    endpoints.add(Addresses.llmAssistantProbe("visa"));
    return endpoints;
  }

  /** The request and reply record types of every endpoint, read from the declarations' type arguments. */
  private static List<Type[]> endpointTypes() {
    List<Type[]> types = new ArrayList<>();
    for (Class<?> holder : List.of(Addresses.class, FileAddresses.class)) {
      for (Field field : holder.getFields()) {
        if (field.getType() == Endpoint.class) {
          types.add(((ParameterizedType) field.getGenericType()).getActualTypeArguments());
        }
      }
      for (Method method : holder.getMethods()) {
        if (method.getReturnType() == Endpoint.class) {
          types.add(((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments());
        }
      }
    }
    return types;
  }

  static Stream<Arguments> endpointRecords() {
    List<Arguments> cases = new ArrayList<>();
    for (Endpoint<?, ?> endpoint : endpoints()) {
      Type[] types = typesOf(endpoint);
      samplesOf(types[0]).forEach(sample -> cases.add(
          Arguments.of(endpoint.address() + " request", sample, decoder(endpoint.requestDecoder()))));
      samplesOf(types[1]).forEach(sample -> cases.add(
          Arguments.of(endpoint.address() + " reply", sample, decoder(endpoint.replyDecoder()))));
    }
    return cases.stream();
  }

  static Stream<Arguments> allRecords() {
    return SAMPLES.values().stream().flatMap(List::stream)
        .map(sample -> Arguments.of(sample.getClass().getSimpleName(), sample, fromJsonOf(sample.getClass())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endpointRecords")
  void endpointRecordsRoundTrip(String what, JsonRecord sample, Function<JsonObject, Object> decode) {
    assertThat(decode.apply(sample.toJson())).isEqualTo(sample);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allRecords")
  void everyWireRecordRoundTripsThroughItsFromJson(String what, JsonRecord sample,
      Function<JsonObject, Object> decode) {
    assertThat(decode.apply(sample.toJson())).isEqualTo(sample);
    // Twice, through an encoded copy: what a remote node reads.
    assertThat(decode.apply(new JsonObject(sample.toJson().encode()))).isEqualTo(sample);
  }

  @Test
  void everyEndpointRecordHasASample() {
    for (Type[] types : endpointTypes()) {
      assertThat(SAMPLES).containsKeys((Class<?>) types[0], (Class<?>) types[1]);
    }
    assertThat(endpoints()).hasSize(endpointTypes().size());
  }

  private static Type[] typesOf(Endpoint<?, ?> endpoint) {
    for (Class<?> holder : List.of(Addresses.class, FileAddresses.class)) {
      for (Field field : holder.getFields()) {
        if (field.getType() == Endpoint.class && get(field) == endpoint) {
          return ((ParameterizedType) field.getGenericType()).getActualTypeArguments();
        }
      }
    }
    // The per-worker and per-assistant addresses, made by methods.
    if (endpoint.address().endsWith(".start")) {
      return new Type[] {StartCompletion.class, CompletionAccepted.class}; // llmAssistantStart
    }
    if (endpoint.address().endsWith(".probe")) {
      return new Type[] {Ack.class, Ack.class}; // llmAssistantProbe
    }
    return new Type[] {StopStream.class, StopResult.class}; // llmWorkerStop
  }

  private static List<? extends JsonRecord> samplesOf(Type type) {
    List<? extends JsonRecord> samples = SAMPLES.get((Class<?>) type);
    assertThat(samples).as("a sample of %s", type).isNotNull();
    return samples;
  }

  @SuppressWarnings("unchecked")
  private static Function<JsonObject, Object> decoder(Function<JsonObject, ?> decoder) {
    return (Function<JsonObject, Object>) decoder;
  }

  private static Function<JsonObject, Object> fromJsonOf(Class<?> type) {
    try {
      Method fromJson = type.getMethod("fromJson", JsonObject.class);
      return json -> {
        try {
          return fromJson.invoke(null, json);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      };
    } catch (NoSuchMethodException e) {
      throw new AssertionError(type + " has no fromJson(JsonObject)", e);
    }
  }

  private static Object get(Field field) {
    try {
      return field.get(null);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
