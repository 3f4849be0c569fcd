// Renders one conversation: the messages list (persisted events in seq order, streaming answers after
// them), the people list with who is online, and who is typing. Text only through textContent.

import { el, $, setText, formatTime, formatSize } from './dom.js';
import { assistants } from './assistants.js';

const INLINE_IMAGES = /^image\/(png|jpe?g|gif|webp|avif|bmp)$/i;
const ASSISTANT = 'Assistant';

export class RoomView {
  constructor({ me, api }) {
    this.me = me;
    this.api = api;
    this.list = $('messages');
    this.scroller = $('scroller');
    this.bySeq = new Map(); // seq -> li
    this.byStream = new Map(); // streamId -> li
    this.objectUrls = [];
  }

  reset(conversation) {
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.objectUrls = [];
    this.bySeq.clear();
    this.byStream.clear();
    this.list.replaceChildren();
    setText($('room-title'), conversation.title);
    setText($('typing'), '');
  }

  /** While entering the room (join and history): the log is busy, and data-ready tells when it is live. */
  loading(busy) {
    const room = $('room');
    room.dataset.ready = String(!busy);
    if (busy) this.list.setAttribute('aria-busy', 'true');
    else this.list.removeAttribute('aria-busy');
  }

  dispose() {
    for (const url of this.objectUrls) URL.revokeObjectURL(url);
    this.objectUrls = [];
  }

  /** An event with a seq: a new item, or the end of a streaming answer already on screen. */
  persisted(event) {
    this.#keepingScroll(() => {
      let item = this.bySeq.get(event.seq) || (event.streamId && this.byStream.get(event.streamId));
      if (!item) item = el('li', { class: 'msg' });
      this.#fill(item, event);
      this.bySeq.set(event.seq, item);
      if (event.streamId) this.byStream.set(event.streamId, item);
      item.dataset.seq = String(event.seq);
      this.#place(item, event.seq);
    });
  }

  /** A streaming answer's text so far (or its failure). */
  stream(stream) {
    this.#keepingScroll(() => {
      let item = this.byStream.get(stream.streamId);
      if (item && item.dataset.seq) return; // already ended with its stored event
      if (!item) {
        item = el('li', { class: 'msg assistant', dataset: { role: 'assistant', stream: stream.streamId } },
          el('div', { class: 'meta' }, el('span', { class: 'author' }, assistants.name(stream.assistantId) || ASSISTANT)),
          el('div', { class: 'body' }),
          el('div', { class: 'note' }));
        this.byStream.set(stream.streamId, item);
        this.list.append(item);
      }
      setText(item.querySelector('.body'), stream.text);
      if (stream.error) {
        item.dataset.state = 'error';
        item.removeAttribute('aria-busy');
        setText(item.querySelector('.note'), `The answer failed: ${stream.error}`);
      } else {
        item.dataset.state = stream.index < 0 && !stream.text ? 'thinking' : 'streaming';
        item.setAttribute('aria-busy', 'true');
      }
    });
  }

  /** Older events went in at the top: keep what the reader looks at in place. */
  keepPositionWhile(change) {
    const before = this.scroller.scrollHeight - this.scroller.scrollTop;
    change();
    this.scroller.scrollTop = this.scroller.scrollHeight - before;
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  members(members, online, ownerId) {
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
  }

  typing(names) {
    let text = '';
    if (names.length === 1) text = `${names[0]} is typing\u2026`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing\u2026`;
    else if (names.length > 2) text = `${names.length} people are typing\u2026`;
    setText($('typing'), text);
  }

  #fill(item, event) {
    const mine = event.role !== 'assistant' && event.userId === this.me.userId;
    const assistant = event.role === 'assistant' || event.type === 'ai_response_complete' || event.type === 'ai_response_error';
    item.className = `msg${mine ? ' mine' : ''}${assistant ? ' assistant' : ''}`;
    item.dataset.role = assistant ? 'assistant' : 'user';
    item.dataset.type = event.type;
    item.removeAttribute('aria-busy');
    const author = assistant ? assistants.name(event.assistantId) || ASSISTANT : event.username || 'someone';
    const meta = el('div', { class: 'meta' }, el('span', { class: 'author' }, author),
      event.createdAt ? el('time', { datetime: event.createdAt }, formatTime(event.createdAt)) : null);
    const body = el('div', { class: 'body' });
    const note = el('div', { class: 'note' });
    let state = 'done';
    switch (event.type) {
      case 'new_message':
        setText(body, event.content);
        break;
      case 'ai_response_complete':
        setText(body, event.content);
        if (event.finishReason === 'cancelled') {
          state = 'cancelled';
          setText(note, 'Stopped');
        } else if (event.finishReason === 'length') {
          setText(note, 'Cut off at the length limit');
        }
        break;
      case 'ai_response_error':
        state = 'error';
        setText(body, event.content);
        setText(note, `The answer failed: ${event.error || 'error'}`);
        break;
      case 'file_uploaded':
        if (event.text) body.append(el('div', { class: 'file-text' }, event.text));
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
      case 'member_removed':
        item.classList.add('notice');
        setText(body, `${(event.removedBy && event.removedBy.username) || 'the owner'} removed ${event.username || 'someone'}`);
        break;
      default:
        setText(note, `(${event.type})`);
        break;
    }
    item.dataset.state = state;
    item.replaceChildren(meta, body, note);
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

  /** Persisted items in seq order; streaming items (no seq yet) stay after them. */
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

  #keepingScroll(change) {
    const s = this.scroller;
    const atEnd = s.scrollHeight - s.scrollTop - s.clientHeight < 80;
    change();
    if (atEnd) this.scrollToEnd();
  }
}
