// The sidebar's list of conversations: each entry with its title, the last message (who, a preview, when)
// and the number of unread messages; the tab's title carries the total unread. The list follows every
// listed conversation live (the rooms' events, registered without joining), so previews and counts move
// while another conversation is open.

import { $, el, formatShortTime } from './dom.js';

/** Events that count as a message in the list (a preview, and unread for the others). */
const MESSAGES = new Set(['new_message', 'file_uploaded', 'ai_response_complete', 'ai_response_error']);
const PREVIEW_CHARS = 120;
const WATCHED_AT_MOST = 100;

export class ConversationList {
  /**
   * onOpen(conversation): the reader picked one; me: the signed-in account; inView(conversationId): true
   * while the reader sees that conversation's newest messages (its new messages are read, not unread).
   */
  constructor({ me, onOpen, inView }) {
    this.me = me;
    this.onOpen = onOpen;
    this.inView = inView;
    this.conversations = [];
    this.currentId = null;
    this.watches = new Map(); // conversationId -> unsubscribe
    this.baseTitle = 'Chorus';
  }

  get all() {
    return this.conversations;
  }

  find(id) {
    return this.conversations.find((c) => c.conversationId === id);
  }

  /** The server's list (GET /api/conversations), newest activity first. */
  replace(conversations) {
    this.conversations = conversations;
    this.render();
  }

  setCurrent(id, title) {
    this.currentId = id;
    this.baseTitle = title ? `${title} \u2013 Chorus` : 'Chorus';
    this.render();
  }

  /** Registers each listed conversation's room on the socket (again after every reconnect). */
  watch(conn) {
    this.unwatch();
    for (const c of this.conversations.slice(0, WATCHED_AT_MOST)) {
      try {
        this.watches.set(c.conversationId, conn.subscribe(`client.room.${c.conversationId}`, (event) => this.event(c.conversationId, event)));
      } catch {
        return; // the socket closed meanwhile: the next open watches again
      }
    }
  }

  unwatch() {
    for (const unsubscribe of this.watches.values()) unsubscribe();
    this.watches.clear();
  }

  /**
   * A room event: a message updates its conversation's preview and moves it to the top; one by someone
   * else counts as unread until a read marker covers it.
   */
  event(conversationId, event) {
    if (!event || !MESSAGES.has(event.type) || !Number.isInteger(event.seq)) return;
    const index = this.conversations.findIndex((c) => c.conversationId === conversationId);
    if (index < 0) return;
    const c = { ...this.conversations[index] };
    if (c.lastMessage && c.lastMessage.seq >= event.seq) return; // known already (history, or twice)
    c.lastMessage = lastMessageOf(event);
    const mine = event.role !== 'assistant' && event.userId === this.me.userId;
    if (mine || this.inView(conversationId)) {
      c.unreadCount = 0; // written or seen here (the server moves the marker for a writer; the page for a reader)
    } else if (!(Number.isInteger(c.lastReadSeq) && c.lastReadSeq >= event.seq)) {
      c.unreadCount = (c.unreadCount || 0) + 1;
    }
    this.conversations.splice(index, 1);
    this.conversations.unshift(c);
    this.render();
  }

  /** Messages up to seq were seen (here, or in another tab: a read_marker). */
  read(conversationId, lastReadSeq) {
    const c = this.find(conversationId);
    if (!c || (Number.isInteger(c.lastReadSeq) && c.lastReadSeq >= lastReadSeq)) return false;
    c.lastReadSeq = lastReadSeq;
    if (!c.lastMessage || c.lastMessage.seq <= lastReadSeq) c.unreadCount = 0;
    this.render();
    return true;
  }

  render() {
    const items = this.conversations.map((c) => {
      const unread = this.#unread(c);
      const last = c.lastMessage;
      const names = (c.members || []).map((m) => m.username).join(', ');
      const preview = last ? `${last.userId === this.me.userId ? 'You' : last.username || 'Assistant'}: ${plain(last.preview)}` : names;
      const button = el('button', {
        type: 'button',
        'aria-current': c.conversationId === this.currentId ? 'true' : 'false',
        dataset: { conversationId: c.conversationId, unread: String(unread) },
        onclick: () => this.onOpen(c),
      },
      el('span', { class: 'entry-top' },
        el('span', { class: 'title' }, c.title),
        last && last.createdAt ? el('time', { class: 'when', datetime: last.createdAt }, formatShortTime(last.createdAt)) : null),
      el('span', { class: 'entry-bottom' },
        el('span', { class: 'preview' }, preview),
        unread > 0 ? el('span', { class: 'unread', 'aria-label': `${unread} unread` }, String(unread > 99 ? '99+' : unread)) : null));
      return el('li', {}, button);
    });
    $('conversation-list').replaceChildren(...items);
    $('conversation-empty').hidden = this.conversations.length > 0;
    const total = this.conversations.reduce((sum, c) => sum + this.#unread(c), 0);
    document.title = total > 0 ? `(${total}) ${this.baseTitle}` : this.baseTitle;
  }

  /**
   * A server that keeps read markers (lastReadSeq) says what is unread, and the page moves the marker when
   * the reader sees the messages; without them, the open conversation counts as read while the window has
   * the focus.
   */
  #unread(c) {
    if (c.conversationId === this.currentId && !('lastReadSeq' in c) && document.hasFocus()) return 0;
    return c.unreadCount || 0;
  }

  clear() {
    this.unwatch();
    this.conversations = [];
    this.currentId = null;
    this.baseTitle = 'Chorus';
    $('conversation-list').replaceChildren();
    document.title = 'Chorus';
  }
}

function lastMessageOf(event) {
  let text = event.content || event.text || '';
  if (event.type === 'file_uploaded') text = `\u{1F4CE} ${event.filename || 'file'}${event.text ? ` \u2013 ${event.text}` : ''}`;
  const preview = text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
  return {
    seq: event.seq,
    type: event.type,
    userId: event.role === 'assistant' ? null : event.userId,
    username: event.role === 'assistant' || event.type.startsWith('ai_') ? 'Assistant' : event.username,
    preview,
    createdAt: event.createdAt,
  };
}


/** A preview without Markdown's marks (the list shows one line of plain text). */
function plain(markdown) {
  return String(markdown || '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s+/g, '$1')
    .replace(/(\*\*|__|~~|```|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
