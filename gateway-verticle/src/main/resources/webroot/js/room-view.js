// Renders one conversation: the messages list (persisted events in seq order, streaming answers after
// them, messages still waiting to be sent last), date separators, the people list with who is online, and
// who is typing. Names and notes only through textContent; message text through renderMarkdown (sanitized).

import { el, $, setText, formatTime, formatSize, dayKey, formatDay } from './dom.js';
import { assistants } from './assistants.js';
import { renderMarkdownInto, copyText } from './markdown.js';
import { ScrollPin } from './scroll-pin.js';

const INLINE_IMAGES = /^image\/(png|jpe?g|gif|webp|avif|bmp)$/i;
const ASSISTANT = 'Assistant';
/** Events whose text is Markdown: what people and the assistant wrote. */
const WRITTEN = new Set(['new_message', 'ai_response_complete', 'ai_response_error']);

export class RoomView {
  /** onRegenerate(event): the reader asked for a new answer to this answer's question. */
  constructor({ me, api, onRegenerate }) {
    this.me = me;
    this.api = api;
    this.onRegenerate = onRegenerate;
    this.list = $('messages');
    this.scroller = $('scroller');
    this.pin = new ScrollPin(this.scroller, this.list, $('new-messages'));
    this.bySeq = new Map(); // seq -> li
    this.byStream = new Map(); // streamId -> li
    this.byClientMsgId = new Map(); // clientMsgId -> li of a message not stored yet
    this.frames = new Map(); // li -> text still to render at the next animation frame
    this.newestSeq = 0;
    this.ready = false;
    this.online = new Set();
    this.objectUrls = [];
  }

  reset(conversation) {
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.objectUrls = [];
    this.bySeq.clear();
    this.byStream.clear();
    this.byClientMsgId.clear();
    this.frames.clear();
    this.newestSeq = 0;
    this.list.replaceChildren();
    this.pin.reset();
    this.title(conversation.title);
    setText($('typing'), '');
    this.#emptyState();
  }

  title(text) {
    setText($('room-title'), text);
  }

  /** While entering the room (join and history): the log is busy, and data-ready tells when it is live. */
  loading(busy) {
    const room = $('room');
    room.dataset.ready = String(!busy);
    if (busy) this.list.setAttribute('aria-busy', 'true');
    else this.list.removeAttribute('aria-busy');
    if (!busy) this.ready = true;
    this.#emptyState();
  }

  dispose() {
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.objectUrls = [];
    this.frames.clear();
    this.pin.dispose();
  }

  /** An event with a seq: a new item, or the end of a streaming answer already on screen. */
  persisted(event) {
    let item = this.bySeq.get(event.seq) || (event.streamId && this.byStream.get(event.streamId));
    const isNew = !item;
    if (!item) item = el('li', { class: 'msg' });
    this.frames.delete(item);
    this.#fill(item, event);
    this.bySeq.set(event.seq, item);
    if (event.streamId) this.byStream.set(event.streamId, item);
    item.dataset.seq = String(event.seq);
    if (event.clientMsgId && this.byClientMsgId.has(event.clientMsgId)) {
      this.byClientMsgId.get(event.clientMsgId).remove();
      this.byClientMsgId.delete(event.clientMsgId);
    }
    this.#place(item, event.seq);
    if (isNew && event.seq > this.newestSeq) {
      if (this.ready && this.newestSeq > 0) this.pin.arrived();
      this.newestSeq = event.seq;
    }
    this.#dateSeparators();
    this.#emptyState();
  }

  /** A streaming answer's text so far (or its failure). */
  stream(stream) {
    let item = this.byStream.get(stream.streamId);
    if (item && item.dataset.seq) return; // already ended with its stored event
    if (!item) {
      item = el('li', { class: 'msg assistant', dataset: { role: 'assistant', stream: stream.streamId } },
        el('div', { class: 'meta' }, el('span', { class: 'author' }, assistants.name(stream.assistantId) || ASSISTANT)),
        el('div', { class: 'body markdown' }),
        el('div', { class: 'note' }));
      this.byStream.set(stream.streamId, item);
      const firstPending = this.list.querySelector(':scope > li.pending');
      if (firstPending) firstPending.before(item);
      else this.list.append(item);
      this.#emptyState();
    }
    this.#renderSoon(item, stream.text);
    if (stream.error) {
      item.dataset.state = 'error';
      item.removeAttribute('aria-busy');
      setText(item.querySelector('.note'), `The answer failed: ${stream.error}`);
    } else {
      item.dataset.state = stream.index < 0 && !stream.text ? 'thinking' : 'streaming';
      item.setAttribute('aria-busy', 'true');
    }
  }

  /** A message on its way (shown at once, marked as pending until the server stored it). */
  pending(clientMsgId, text, waiting) {
    let item = this.byClientMsgId.get(clientMsgId);
    if (!item) {
      item = el('li', { class: 'msg mine pending', dataset: { clientMsgId, role: 'user' } },
        el('div', { class: 'meta' }, el('span', { class: 'author' }, this.me.username)),
        el('div', { class: 'body markdown' }),
        el('div', { class: 'note' }));
      renderMarkdownInto(item.querySelector('.body'), text);
      this.byClientMsgId.set(clientMsgId, item);
      this.list.append(item);
      this.pin.toEnd();
      this.#emptyState();
    }
    item.dataset.state = waiting ? 'queued' : 'sending';
    setText(item.querySelector('.note'), waiting ? 'Waiting for the connection; sent when it is back' : 'Sending\u2026');
  }

  /** A message that will not be sent (refused by the server): its pending item goes. */
  unsent(clientMsgId) {
    const item = this.byClientMsgId.get(clientMsgId);
    if (item) item.remove();
    this.byClientMsgId.delete(clientMsgId);
    this.#emptyState();
  }

  /** Older events went in at the top: keep what the reader looks at in place. */
  keepPositionWhile(change) {
    this.pin.keepPositionWhile(change);
  }

  scrollToEnd() {
    this.pin.toEnd();
  }

  members(members, online, ownerId) {
    this.online = online;
    const items = [...members].sort((a, b) => a.username.localeCompare(b.username)).map((m) => {
      const isOnline = online.has(m.userId);
      const labels = [];
      if (m.userId === this.me.userId) labels.push('you');
      if (m.userId === ownerId) labels.push('owner');
      return el('li', { dataset: { online: String(isOnline), userId: m.userId } },
        m.username, labels.length ? ` (${labels.join(', ')})` : '', ' ',
        el('span', { class: 'status' }, isOnline ? 'online' : 'offline'));
    });
    $('members').replaceChildren(...items);
    const count = members.filter((m) => online.has(m.userId)).length;
    setText($('online-count'), `(${members.length} member${members.length === 1 ? '' : 's'}, ${count} online)`);
    for (const author of this.list.querySelectorAll('.author[data-user-id]')) {
      author.dataset.online = String(online.has(author.dataset.userId));
    }
  }

  typing(names) {
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing\u2026`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing\u2026`;
    else if (names.length > 2) text = `${names.length} people are typing\u2026`;
    setText($('typing'), text);
  }

  /** Streaming text is rendered at most once per frame, into the same body node (no flicker). */
  #renderSoon(item, text) {
    const scheduled = this.frames.has(item);
    this.frames.set(item, text);
    if (scheduled) return;
    const render = () => {
      if (!this.frames.has(item)) return; // ended (the stored event rendered it) or the room closed
      const latest = this.frames.get(item);
      this.frames.delete(item);
      renderMarkdownInto(item.querySelector('.body'), latest);
    };
    // Hidden tabs get no animation frames: a timer keeps their text current.
    if (document.hidden) setTimeout(render, 100);
    else requestAnimationFrame(render);
  }

  #fill(item, event) {
    const mine = event.role !== 'assistant' && event.userId === this.me.userId;
    const assistant = event.role === 'assistant' || event.type === 'ai_response_complete' || event.type === 'ai_response_error';
    item.className = `msg${mine ? ' mine' : ''}${assistant ? ' assistant' : ''}`;
    item.dataset.role = assistant ? 'assistant' : 'user';
    item.dataset.type = event.type;
    if (event.createdAt) item.dataset.day = dayKey(event.createdAt);
    item.removeAttribute('aria-busy');
    const author = assistant ? assistants.name(event.assistantId) || ASSISTANT : event.username || 'someone';
    const authorNode = el('span', { class: 'author' }, author);
    if (!assistant && event.userId) {
      authorNode.dataset.userId = event.userId;
      authorNode.dataset.online = String(this.online.has(event.userId));
    }
    const meta = el('div', { class: 'meta' }, authorNode,
      event.createdAt ? el('time', { datetime: event.createdAt, title: new Date(event.createdAt).toLocaleString() }, formatTime(event.createdAt)) : null);
    // The body node of a streaming answer stays: its final text replaces the partial one in place.
    const body = item.querySelector(':scope > .body') || el('div', { class: 'body' });
    body.className = WRITTEN.has(event.type) ? 'body markdown' : 'body';
    const note = el('div', { class: 'note' });
    let state = 'done';
    switch (event.type) {
      case 'new_message':
        renderMarkdownInto(body, event.content);
        break;
      case 'ai_response_complete':
        renderMarkdownInto(body, event.content);
        if (event.finishReason === 'cancelled') {
          state = 'cancelled';
          const by = event.stoppedBy && event.stoppedBy.username;
          setText(note, by ? `Stopped by ${by}` : 'Stopped');
        } else if (event.finishReason === 'length') {
          setText(note, 'Cut off at the length limit');
        }
        break;
      case 'ai_response_error':
        state = 'error';
        renderMarkdownInto(body, event.content);
        setText(note, `The answer failed: ${event.error || 'error'}`);
        break;
      case 'file_uploaded':
        body.replaceChildren();
        if (event.text) {
          const caption = el('div', { class: 'file-text markdown' });
          renderMarkdownInto(caption, event.text);
          body.append(caption);
        }
        this.#file(body, event);
        break;
      case 'member_left':
        item.classList.add('notice');
        setText(body, `${event.username || 'someone'} left the conversation`);
        break;
      case 'assistant_changed':
        item.classList.add('notice');
        setText(body, `${(event.changedBy && event.changedBy.username) || event.username || 'someone'} switched the assistant to ${event.name || event.assistantId}`);
        break;
      case 'conversation_settings_changed':
        item.classList.add('notice');
        setText(body, `${event.username || 'someone'} set the assistant to answer ${event.answersEveryMessage ? 'every message' : 'only when asked'}`);
        break;
      case 'member_removed':
        item.classList.add('notice');
        setText(body, `${(event.removedBy && event.removedBy.username) || 'the owner'} removed ${event.username || 'someone'}`);
        break;
      default:
        setText(body, '');
        setText(note, `(${event.type})`);
        break;
    }
    item.dataset.state = state;
    if (item.classList.contains('notice')) item.dataset.role = 'notice';
    item.replaceChildren(meta, body, note);
    if (WRITTEN.has(event.type) || event.type === 'file_uploaded') item.append(this.#actions(event, assistant, body));
  }

  /** Copy on every message; Regenerate on a stored answer. */
  #actions(event, assistant, body) {
    const copy = el('button', { type: 'button', class: 'action', title: 'Copy the text' }, 'Copy');
    copy.addEventListener('click', async () => {
      const ok = await copyText(event.content || event.text || body.innerText);
      setText(copy, ok ? 'Copied' : 'Copy failed');
      setTimeout(() => setText(copy, 'Copy'), 2000);
    });
    const actions = el('div', { class: 'actions' }, copy);
    if (assistant && event.type !== 'ai_response_error' && this.onRegenerate) {
      const again = el('button', { type: 'button', class: 'action', title: 'Ask the assistant again' }, 'Regenerate');
      again.addEventListener('click', () => this.onRegenerate(event));
      actions.append(again);
    }
    return actions;
  }

  #file(body, event) {
    const name = event.filename || 'file';
    const url = event.url || (event.fileId ? `/api/files/${encodeURIComponent(event.fileId)}` : null);
    const caption = el('span', { class: 'file-caption' }, `${name}${Number.isFinite(event.size) ? ` (${formatSize(event.size)})` : ''}`);
    if (url && INLINE_IMAGES.test(event.contentType || '')) {
      const img = el('img', { class: 'inline-image', alt: name, dataset: { fileId: event.fileId || '' } });
      body.append(caption, img);
      this.api.blob(url).then((blob) => {
        const objectUrl = URL.createObjectURL(blob);
        this.objectUrls.push(objectUrl);
        img.src = objectUrl;
      }).catch((e) => {
        img.replaceWith(el('span', { class: 'note' }, `The image could not be loaded: ${e.message}`));
      });
      return;
    }
    if (!url) {
      body.append(caption);
      return;
    }
    const link = el('a', { class: 'file-link', href: '#', download: name }, `Download ${name}`);
    link.addEventListener('click', (e) => {
      if (link.dataset.ready) return; // the object URL is set: let the browser download it
      e.preventDefault();
      this.api.blob(url).then((blob) => {
        const objectUrl = URL.createObjectURL(blob);
        this.objectUrls.push(objectUrl);
        link.href = objectUrl;
        link.dataset.ready = 'true';
        link.click();
      }).catch((err) => setText(link, `Download ${name} failed: ${err.message}`));
    });
    body.append(link, Number.isFinite(event.size) ? ` (${formatSize(event.size)})` : '');
  }

  /** Persisted items in seq order; streaming items (no seq yet) and pending ones stay after them. */
  #place(item, seq) {
    if (item.parentNode === this.list) item.remove();
    for (let child = this.list.lastElementChild; child; child = child.previousElementSibling) {
      if (child.dataset.seq && Number(child.dataset.seq) < seq) {
        child.after(item);
        return;
      }
    }
    this.list.prepend(item);
  }

  /** A separator before the first message of each day (the events' createdAt, in the reader's time zone). */
  #dateSeparators() {
    for (const old of this.list.querySelectorAll(':scope > li.date-separator')) old.remove();
    let previous = null;
    for (const item of [...this.list.children]) {
      const day = item.dataset.day;
      if (!day || day === previous) continue;
      item.before(el('li', { class: 'date-separator', role: 'separator', dataset: { day } },
        el('span', {}, formatDay(day))));
      previous = day;
    }
  }

  #emptyState() {
    const empty = !this.list.querySelector(':scope > li.msg');
    $('no-messages').hidden = !(empty && this.ready);
  }
}
