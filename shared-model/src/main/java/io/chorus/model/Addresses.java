package io.chorus.model;

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
import io.chorus.model.chat.RegenerateAnswer;
import io.chorus.model.chat.SendMessage;
import io.chorus.model.chat.SendResult;
import io.chorus.model.chat.TypingUpdate;
import io.chorus.model.llm.CompletionAccepted;
import io.chorus.model.llm.StartCompletion;
import io.chorus.model.llm.StopResult;
import io.chorus.model.llm.StopStream;
import io.chorus.model.storage.AddMember;
import io.chorus.model.storage.AppendMessage;
import io.chorus.model.storage.AppendResult;
import io.chorus.model.storage.AssistantChanged;
import io.chorus.model.storage.ConversationInfo;
import io.chorus.model.storage.ConversationList;
import io.chorus.model.storage.CreateConversation;
import io.chorus.model.storage.CreateUser;
import io.chorus.model.storage.FindUser;
import io.chorus.model.storage.HistoryPage;
import io.chorus.model.storage.HistoryQuery;
import io.chorus.model.storage.MarkRead;
import io.chorus.model.storage.MessageRef;
import io.chorus.model.storage.StoredMessage;
import io.chorus.model.storage.ReadMarker;
import io.chorus.model.storage.MemberRef;
import io.chorus.model.storage.MemberRemoved;
import io.chorus.model.storage.RemoveMember;
import io.chorus.model.storage.SetAssistant;
import io.chorus.model.storage.SetSettings;
import io.chorus.model.storage.SettingsChanged;
import io.chorus.model.storage.UserCredentials;
import io.chorus.model.storage.UserInfo;
import io.chorus.model.storage.UsageTotals;
import io.chorus.model.storage.UserRef;

/**
 * Every internal event-bus address, declared once. Request/reply addresses are
 * {@code <owner>.<noun>.<verb>} where the owner is the consumer. None of them crosses the bridge: only
 * {@link ClientAddresses} do.
 */
public final class Addresses {
  private Addresses() {}

  // storage-verticle
  public static final Endpoint<CreateUser, UserInfo> STORAGE_USER_CREATE =
      Endpoint.of("storage.user.create", CreateUser::fromJson, UserInfo::fromJson);
  public static final Endpoint<FindUser, UserCredentials> STORAGE_USER_FIND =
      Endpoint.of("storage.user.find", FindUser::fromJson, UserCredentials::fromJson);
  public static final Endpoint<CreateConversation, ConversationInfo> STORAGE_CONVERSATION_CREATE =
      Endpoint.of("storage.conversation.create", CreateConversation::fromJson, ConversationInfo::fromJson);
  public static final Endpoint<UserRef, ConversationList> STORAGE_CONVERSATION_LIST =
      Endpoint.of("storage.conversation.list", UserRef::fromJson, ConversationList::fromJson);
  /** The conversation with members and last seq, for a member (403 otherwise, 404 unknown). */
  public static final Endpoint<MemberRef, ConversationInfo> STORAGE_CONVERSATION_GET =
      Endpoint.of("storage.conversation.get", MemberRef::fromJson, ConversationInfo::fromJson);
  /** As {@link #STORAGE_CONVERSATION_GET}, with the member's read marker, unread count and last message. */
  public static final Endpoint<MemberRef, ConversationInfo> STORAGE_CONVERSATION_VIEW =
      Endpoint.of("storage.conversation.view", MemberRef::fromJson, ConversationInfo::fromJson);
  public static final Endpoint<AddMember, ConversationInfo> STORAGE_MEMBER_ADD =
      Endpoint.of("storage.member.add", AddMember::fromJson, ConversationInfo::fromJson);
  /**
   * A member leaves, or the owner removes one: the member row goes and a notice takes the next seq, in one
   * transaction; the reply is that notice, for the caller to publish to the room.
   */
  public static final Endpoint<RemoveMember, MemberRemoved> STORAGE_MEMBER_REMOVE =
      Endpoint.of("storage.member.remove", RemoveMember::fromJson, MemberRemoved::fromJson);
  /**
   * A member switches the conversation's assistant: the change and an {@code assistant_changed} notice with
   * the next seq commit together; storage publishes the notice to the room (403 non-member, 404 unknown).
   */
  public static final Endpoint<SetAssistant, AssistantChanged> STORAGE_CONVERSATION_ASSISTANT_SET =
      Endpoint.of("storage.conversation.assistant.set", SetAssistant::fromJson, AssistantChanged::fromJson);
  /**
   * A member has read up to a seq: the marker moves forward only (400 above the last seq or below 0, 403
   * non-member, 404 unknown); storage tells the member's devices ({@code read_marker}) when it moved.
   */
  public static final Endpoint<MarkRead, ReadMarker> STORAGE_MEMBER_READ =
      Endpoint.of("storage.member.read", MarkRead::fromJson, ReadMarker::fromJson);
  /**
   * A member sets {@code answersEveryMessage}: the change and a {@code conversation_settings_changed} notice with
   * the next seq commit together; storage publishes the notice to the room (403 non-member, 404 unknown).
   */
  public static final Endpoint<SetSettings, SettingsChanged> STORAGE_CONVERSATION_SETTINGS_SET =
      Endpoint.of("storage.conversation.settings.set", SetSettings::fromJson, SettingsChanged::fromJson);
  /** Succeeds for a member, fails 403 for a non-member and 404 for an unknown conversation. */
  public static final Endpoint<MemberRef, Ack> STORAGE_MEMBER_CHECK =
      Endpoint.of("storage.member.check", MemberRef::fromJson, Ack::fromJson);
  public static final Endpoint<AppendMessage, AppendResult> STORAGE_MESSAGE_APPEND =
      Endpoint.of("storage.message.append", AppendMessage::fromJson, AppendResult::fromJson);
  /** One message of a conversation, for a member (403 non-member, 404 unknown conversation or message). */
  public static final Endpoint<MessageRef, StoredMessage> STORAGE_MESSAGE_GET =
      Endpoint.of("storage.message.get", MessageRef::fromJson, StoredMessage::fromJson);
  public static final Endpoint<HistoryQuery, HistoryPage> STORAGE_MESSAGE_HISTORY =
      Endpoint.of("storage.message.history", HistoryQuery::fromJson, HistoryPage::fromJson);
  /** A user's token usage per conversation: the answers that user asked for. */
  public static final Endpoint<UserRef, UsageTotals> STORAGE_USAGE_TOTALS =
      Endpoint.of("storage.usage.totals", UserRef::fromJson, UsageTotals::fromJson);
  /** Succeeds when the database answers; behind the gateways' readiness. */
  public static final Endpoint<Ack, Ack> STORAGE_HEALTH_CHECK =
      Endpoint.of("storage.health.check", Ack::fromJson, Ack::fromJson);

  /** Records one admin call in the audit table (the gateway writes it before it acts). */
  public static final Endpoint<AuditEntry, Ack> STORAGE_ADMIN_AUDIT =
      Endpoint.of("storage.admin.audit", AuditEntry::fromJson, Ack::fromJson);
  /** Suspends a user or lets them back; the reply names the user, 404 for an unknown one. */
  public static final Endpoint<SetSuspended, UserInfo> STORAGE_USER_SUSPEND =
      Endpoint.of("storage.user.suspend", SetSuspended::fromJson, UserInfo::fromJson);
  /** Every suspended user: what a gateway starting on a cluster with no memory of them reads. */
  public static final Endpoint<Ack, SuspendedUsers> STORAGE_USER_SUSPENDED =
      Endpoint.of("storage.user.suspended", Ack::fromJson, SuspendedUsers::fromJson);
  public static final Endpoint<NewAnnouncement, Announcement> STORAGE_ANNOUNCEMENT_CREATE =
      Endpoint.of("storage.announcement.create", NewAnnouncement::fromJson, Announcement::fromJson);
  public static final Endpoint<AnnouncementQuery, AnnouncementList> STORAGE_ANNOUNCEMENT_LIST =
      Endpoint.of("storage.announcement.list", AnnouncementQuery::fromJson, AnnouncementList::fromJson);
  /** The database's state for the admin's cluster view. */
  public static final Endpoint<Ack, DatabaseState> STORAGE_DATABASE_STATE =
      Endpoint.of("storage.database.state", Ack::fromJson, DatabaseState::fromJson);

  // chat-verticle
  public static final Endpoint<SendMessage, SendResult> CHAT_MESSAGE_SEND =
      Endpoint.of("chat.message.send", SendMessage::fromJson, SendResult::fromJson);
  public static final Endpoint<TypingUpdate, Ack> CHAT_TYPING_UPDATE =
      Endpoint.of("chat.typing.update", TypingUpdate::fromJson, Ack::fromJson);
  public static final Endpoint<HistoryRequest, HistoryReply> CHAT_HISTORY_GET =
      Endpoint.of("chat.history.get", HistoryRequest::fromJson, HistoryReply::fromJson);

  /**
   * A member asks the assistant again for a question (or the question of an answer): a new answer, with the
   * limits of a question; the reply is the question's id and seq with the new answer's {@code aiThinking}.
   */
  public static final Endpoint<RegenerateAnswer, SendResult> CHAT_ANSWER_REGENERATE =
      Endpoint.of("chat.answer.regenerate", RegenerateAnswer::fromJson, SendResult::fromJson);

  /** A member stops an answer: chat checks membership and finds the worker that owns the stream. */
  public static final Endpoint<StopStream, StopResult> CHAT_STREAM_STOP =
      Endpoint.of("chat.stream.stop", StopStream::fromJson, StopResult::fromJson);

  // llm-verticle
  public static final Endpoint<StartCompletion, CompletionAccepted> LLM_COMPLETION_START =
      Endpoint.of("llm.completion.start", StartCompletion::fromJson, CompletionAccepted::fromJson);

  /**
   * Questions for one assistant profile: only the workers serving it ({@code LLM_ASSISTANTS}) consume it, so
   * each profile's pool scales on its own and a profile without a worker is a 503 naming it.
   */
  public static Endpoint<StartCompletion, CompletionAccepted> llmAssistantStart(String assistantId) {
    return Endpoint.of("llm.assistant." + assistantId + ".start", StartCompletion::fromJson,
        CompletionAccepted::fromJson);
  }

  /** Answers while some worker serves the profile: behind {@code served} in {@code GET /api/assistants}. */
  public static Endpoint<Ack, Ack> llmAssistantProbe(String assistantId) {
    return Endpoint.of("llm.assistant." + assistantId + ".probe", Ack::fromJson, Ack::fromJson);
  }

  /**
   * One worker's own address for stopping the streams it runs (one cluster registration per worker, not
   * per stream); the stream registry says which worker owns a stream.
   */
  public static Endpoint<StopStream, StopResult> llmWorkerStop(String workerId) {
    return Endpoint.of("llm.worker." + workerId + ".stop", StopStream::fromJson, StopResult::fromJson);
  }

  /**
   * Where a conversation's room events are published on the cluster. Each gateway holds one consumer
   * per conversation that has local sockets and fans out to them (see the gateway's RoomFanout).
   */
  public static String conversationEvents(String conversationId) {
    return "conv." + conversationId + ".events";
  }

  /**
   * Events for one user ({@link io.chorus.model.events.PersonalEvent}), published to every gateway: they
   * are rare (someone added you to a conversation), so one broadcast address beats a cluster consumer
   * per connected user.
   */
  public static final String PERSONAL_EVENTS = "gateway.personal.events";

  /**
   * Operators' broadcasts to every gateway (an announcement, a user to disconnect or suspend): each gateway acts
   * on its own sockets. See the gateway's {@code admin} package.
   */
  public static final String GATEWAY_ADMIN_EVENTS = "gateway.admin.events";
}
