// One open conversation: enters the room on every (re)opened socket (register, join, history since the
// last seq seen), applies live events to the Timeline, and sends, types, stops answers and uploads files.

import { Outbox, sendWithResend } from './outbox.js';
import { BusError } from './connection.js';
import { ApiError } from './api.js';
import { Timeline } from './timeline.js';
import { RoomView } from './room-view.js';
import { uuid } from './dom.js';
import { pendingStore } from './pending-store.js';

const PAGE = 50;
const CATCH_UP_PAGE = 200;
const TYPING_IDLE_MS = 3000;
const TYPING_RESEND_MS = 2500;
const TYPING_SHOWN_MS = 6000;

export class Room {
  constructor({ conversation, me, conn, api, onChange, onActivity, onError }) {
    this.conversation = conversation;
    this.id = conversation.conversationId;
    this.me = me;
    this.conn = conn;
    this.api = api;
    this.onChange = onChange; // (room) => void: stop button, load-older button
    this.onActivity = onActivity; // () => void: the conversation had a new event
    this.onError = onError; // (message) => void
    this.members = [...(conversation.members || [])];
    this.online = new Set();
    this.typers = new Map(); // userId -> {username, timer}
    this.view = new RoomView({ me, api, onRegenerate: (event) => this.#regenerate(event) });
    this.timeline = new Timeline({
      persisted: (event) => this.view.persisted(event),
      stream: (stream) => this.view.stream(stream),
      resync: () => this.resync(),
    });
    this.epoch = 0;
    this.unsubscribe = null;
    this.syncing = false;
    this.syncAgain = false;
    this.typingSentAt = 0;
    this.typingIdle = null;
    this.closed = false;
    this.outbox = new Outbox();
    this.view.reset(conversation);
    this.view.members(this.members, this.online, conversation.ownerId);
    // Written here before a reload and not stored yet: shown as pending and sent again.
    for (const entry of pendingStore.all()) {
      if (entry.conversationId === this.id) {
        this.#deliver(entry).catch((e) => this.onError(`Not sent: ${e.message}`));
      }
    }
  }

  get address() {
    return `client.room.${this.id}`;
  }

  get isOwner() {
    return this.conversation.ownerId === this.me.userId;
  }

  /** Run on every opened socket: register the room, join it, then fetch what was missed. */
  async enter() {
    const epoch = ++this.epoch;
    this.view.loading(true);
    try {
      this.unsubscribe = this.conn.subscribe(this.address, (event) => this.#onEvent(event));
      const joined = await this.conn.request('client.conversation.join', { conversationId: this.id });
      if (epoch !== this.epoch || this.closed) return;
      if (Array.isArray(joined.members)) this.members = joined.members.filter((m) => m && m.userId);
      // Switched while this socket was away: the header follows (assistant_changed in the catch-up is older).
      if (joined.assistantId) this.conversation = { ...this.conversation, assistantId: joined.assistantId };
      this.online = new Set((joined.online || []).map((o) => (typeof o === 'string' ? o : o && o.userId)).filter(Boolean));
      this.online.add(this.me.userId);
      this.#showMembers();
      if (!this.timeline.started) {
        const reply = await this.conn.request('client.chat.history', { conversationId: this.id, limit: PAGE });
        if (epoch !== this.epoch || this.closed) return;
        this.timeline.applyHistory(reply, 'latest');
        this.view.scrollToEnd();
      }
      await this.resync();
      if (epoch === this.epoch && !this.closed) this.view.loading(false);
    } catch (e) {
      if (epoch !== this.epoch || this.closed) return;
      this.onError(`Could not open the conversation: ${e.message}`);
    } finally {
      this.onChange(this);
    }
  }

  /** Fetches every event after the last contiguous seq (and the streaming answers' text so far). */
  async resync() {
    if (!this.timeline.started || this.closed) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    const epoch = this.epoch;
    try {
      do {
        this.syncAgain = false;
        let more = true;
        while (more && epoch === this.epoch && !this.closed) {
          const reply = await this.conn.request('client.chat.history',
            { conversationId: this.id, afterSeq: this.timeline.contiguous, limit: CATCH_UP_PAGE });
          if (epoch !== this.epoch || this.closed) return;
          more = this.timeline.applyHistory(reply, 'after');
        }
      } while (this.syncAgain && epoch === this.epoch && !this.closed);
    } catch (e) {
      // The socket went away: entering again on the next open catches up.
      if (this.conn.open && !this.closed) this.onError(`Could not load new messages: ${e.message}`);
    } finally {
      this.syncing = false;
      this.onChange(this);
    }
  }

  async loadOlder() {
    if (!this.timeline.hasOlder) return;
    const reply = await this.conn.request('client.chat.history',
      { conversationId: this.id, beforeSeq: this.timeline.lowest, limit: PAGE });
    if (this.closed) return;
    this.view.keepPositionWhile(() => this.timeline.applyHistory(reply, 'before'));
    this.onChange(this);
  }

  /**
   * Sends over the socket; when the socket is down or the request got lost, the same message over HTTP.
   * The server's 503 (overloaded, or a service unavailable) means "resend later": after a wait with jitter,
   * the same message again. When neither the socket nor HTTP reaches the server (an outage), the message
   * waits, shown as pending, and goes when the socket is back. One at a time (see Outbox), so messages are
   * stored in the order they were written. Idempotent by clientMsgId: every attempt carries the same one, so
   * an attempt whose reply was lost and its resend store one message.
   */
  send(text, ai) {
    this.#typingStopped();
    const entry = { conversationId: this.id, clientMsgId: uuid(), text, ai };
    pendingStore.add(entry);
    return this.#deliver(entry);
  }

  /** Sends one message (see send) unless this page sends it already; kept in the pending store until done. */
  #deliver({ clientMsgId, text, ai }) {
    if (!pendingStore.claim(clientMsgId)) return Promise.resolve(null);
    this.view.pending(clientMsgId, text, !this.conn.open);
    const sendOnce = async () => {
      try {
        return await this.conn.request('client.chat.send', { conversationId: this.id, text, clientMsgId, ai });
      } catch (e) {
        if (!e.local && e.code > 0) throw e; // the server's answer (a 503 included: resent below)
        return this.api.post(`/api/conversations/${encodeURIComponent(this.id)}/messages`, { text, clientMsgId, ai });
      }
    };
    const busy = (e) => e instanceof BusError ? e.code === 503 : e.status === 503;
    const deliver = async () => {
      for (;;) {
        try {
          const reply = await sendWithResend(sendOnce, busy);
          this.#answerStarted(reply);
          return reply;
        } catch (e) {
          if (!unreachable(e)) throw e;
          // Delivered after the room was closed too: the message was written, the outage is no reason to lose it.
          if (!this.closed) this.view.pending(clientMsgId, text, true);
          await this.conn.whenOpen();
          if (!this.closed) this.view.pending(clientMsgId, text, false);
        }
      }
    };
    return this.outbox.enqueue(deliver).then((reply) => {
      pendingStore.done(clientMsgId);
      return reply;
    }, (e) => {
      pendingStore.done(clientMsgId); // refused by the server: the composer gives the text back
      if (!this.closed) this.view.unsent(clientMsgId);
      throw e;
    }).finally(() => pendingStore.release(clientMsgId));
  }

  /** Asks the assistant again for the question of a stored answer; the new answer streams as a new message. */
  async #regenerate(event) {
    try {
      const reply = await this.conn.request('client.chat.regenerate',
        { conversationId: this.id, messageId: event.messageId });
      this.#answerStarted(reply);
    } catch (e) {
      if (!this.closed) this.onError(`Could not regenerate the answer: ${e.message}`);
    }
  }

  /** A reply that started an answer carries its ai_thinking: the answer shows even if the live event is late. */
  #answerStarted(reply) {
    if (this.closed || !reply || !reply.aiThinking) return;
    this.timeline.apply({ type: 'ai_thinking', ...reply.aiThinking });
    this.onChange(this);
  }

  /** Called on each input in the message box. */
  typed() {
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_RESEND_MS) {
      this.typingSentAt = now;
      this.conn.notify('client.chat.typing', { conversationId: this.id, isTyping: true });
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.#typingStopped(), TYPING_IDLE_MS);
  }

  async stop() {
    const streams = this.timeline.activeStreams();
    await Promise.all(streams.map((s) =>
      this.conn.request('client.chat.stop', { conversationId: this.id, streamId: s.streamId })));
  }

  /** Uploads a file with an optional caption (text). */
  upload(file, text, onProgress) {
    return this.api.upload(this.id, file, text, onProgress);
  }

  /** The member list changed elsewhere (an invite, a personal event). */
  updateConversation(conversation) {
    this.conversation = { ...this.conversation, ...conversation };
    if (Array.isArray(conversation.members)) this.members = conversation.members;
    this.#showMembers();
  }

  close() {
    this.closed = true;
    this.epoch += 1;
    this.#typingStopped();
    for (const { timer } of this.typers.values()) clearTimeout(timer);
    this.typers.clear();
    // Unregistering stops following the room; client.conversation.leave would end the membership.
    if (this.unsubscribe) this.unsubscribe();
    this.view.dispose();
  }

  #onEvent(event) {
    if (this.closed || !event || (event.conversationId && event.conversationId !== this.id)) return;
    switch (event.type) {
      case 'user_typing':
        this.#typing(event);
        return;
      case 'user_joined':
        this.online.add(event.userId);
        if (!this.members.some((m) => m.userId === event.userId) && event.username) {
          this.members.push({ userId: event.userId, username: event.username });
        }
        this.#showMembers();
        return;
      case 'user_left':
        if (event.userId !== this.me.userId) this.online.delete(event.userId);
        this.#showMembers();
        return;
      default:
        break;
    }
    if (event.type === 'new_message' || event.type === 'file_uploaded') this.#clearTyper(event.userId);
    if (event.type === 'member_left' || event.type === 'member_removed') {
      // Persisted like a message (it goes on to the timeline), and the member list loses them.
      this.members = this.members.filter((m) => m.userId !== event.userId);
      if (event.ownerId) this.conversation = { ...this.conversation, ownerId: event.ownerId };
      this.online.delete(event.userId);
      this.#clearTyper(event.userId);
      this.#showMembers();
    }
    if (event.type === 'assistant_changed') {
      this.conversation = { ...this.conversation, assistantId: event.assistantId };
    }
    if (event.type === 'conversation_settings_changed' && typeof event.answersEveryMessage === 'boolean') {
      this.conversation = { ...this.conversation, answersEveryMessage: event.answersEveryMessage };
    }
    this.timeline.apply(event);
    if (Number.isInteger(event.seq)) this.onActivity();
    this.onChange(this);
  }

  #typing(event) {
    if (event.userId === this.me.userId) return;
    if (!event.isTyping) {
      this.#clearTyper(event.userId);
      return;
    }
    const previous = this.typers.get(event.userId);
    if (previous) clearTimeout(previous.timer);
    const timer = setTimeout(() => this.#clearTyper(event.userId), TYPING_SHOWN_MS);
    this.typers.set(event.userId, { username: event.username || 'someone', timer });
    this.#showTypers();
  }

  #clearTyper(userId) {
    const typer = this.typers.get(userId);
    if (!typer) return;
    clearTimeout(typer.timer);
    this.typers.delete(userId);
    this.#showTypers();
  }

  #showTypers() {
    this.view.typing([...this.typers.values()].map((t) => t.username));
  }

  #typingStopped() {
    clearTimeout(this.typingIdle);
    if (this.typingSentAt) {
      this.typingSentAt = 0;
      this.conn.notify('client.chat.typing', { conversationId: this.id, isTyping: false });
    }
  }

  #showMembers() {
    this.view.members(this.members, this.online, this.conversation.ownerId);
  }
}

/** No server answered: neither the socket nor HTTP got through (offline, the gateway down). */
function unreachable(error) {
  return (error instanceof BusError && error.local) || (error instanceof ApiError && error.status === 0);
}
