// The model of one conversation as this tab knows it, with no DOM: persisted events kept by seq (so
// duplicates and gaps are visible), and the answers still streaming with their text so far.
//
// The listener is told what changed:
//   persisted(event)  an event with a seq is known (for the first time, or it ends a stream shown live)
//   stream(stream)    a streaming answer changed: {streamId, replyTo, index, text, ended, error}
//   resync()          something is missing (a seq or a chunk index was skipped): ask history afterSeq
// Pure logic: the unit tests in gateway-verticle/src/main/web/test drive it with plain objects.

export const isPersisted = (event) => Number.isInteger(event.seq) && event.seq > 0;

export class Timeline {
  constructor(listener) {
    this.listener = listener;
    this.events = new Map(); // seq -> event
    this.streams = new Map(); // streamId -> stream, while it runs (or ended in an error nothing kept)
    this.finished = new Set(); // streamIds whose final event is known
    this.lowest = null; // lowest seq loaded; everything from lowest to contiguous is here
    this.contiguous = null; // last seq up to which nothing is missing; null before the first history page
    this.reachedStart = false;
  }

  /** True once a first history page was applied: from then on, missing seqs are noticed. */
  get started() {
    return this.contiguous !== null;
  }

  get hasOlder() {
    return this.started && !this.reachedStart && this.lowest > 1;
  }

  /** Streams still running (the Stop button acts on them). */
  activeStreams() {
    return [...this.streams.values()].filter((s) => !s.ended);
  }

  /** Persisted events in seq order. */
  ordered() {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq);
  }

  /** A live event from client.room.<id>. */
  apply(event) {
    switch (event.type) {
      case 'ai_thinking':
        this.#thinking(event);
        return;
      case 'ai_response_chunk':
        this.#chunk(event);
        return;
      case 'ai_response_error':
        if (!isPersisted(event)) {
          this.#failed(event);
          return;
        }
        break;
      default:
        break;
    }
    if (isPersisted(event)) this.#persist(event, true);
  }

  /**
   * A client.chat.history reply. mode: 'latest' (no afterSeq/beforeSeq), 'after' (afterSeq = contiguous) or
   * 'before' (beforeSeq = lowest). Returns true when an 'after' page ends below lastSeq: the caller asks for the
   * next one. History has no gaps, and a page may hold fewer than its limit (it stops at about 512 KiB of text), so
   * "more" is read from the seqs, not from how many came.
   */
  applyHistory(reply, mode) {
    const messages = (reply.messages || []).filter(isPersisted).sort((a, b) => a.seq - b.seq);
    for (const event of messages) this.#persist(event, false);
    const lastSeq = Number.isInteger(reply.lastSeq) ? reply.lastSeq : 0;
    const newest = messages.length ? messages[messages.length - 1].seq : 0;
    let more = false;
    if (mode === 'before') {
      if (messages.length) this.lowest = Math.min(this.lowest ?? messages[0].seq, messages[0].seq);
      if (!messages.length || this.lowest <= 1) this.reachedStart = true;
    } else {
      if (mode === 'latest' || this.lowest === null) {
        this.lowest = messages.length ? messages[0].seq : lastSeq + 1;
        if (this.lowest <= 1) this.reachedStart = true;
      }
      // History has no gaps: a page holds every event up to its newest one, and the latest page everything up to
      // lastSeq.
      more = mode === 'after' && messages.length > 0 && newest < lastSeq;
      this.contiguous = Math.max(this.contiguous ?? 0, more ? newest : Math.max(lastSeq, newest));
      this.#advance();
      if (!more && this.#beyondContiguous()) this.listener.resync();
    }
    for (const snapshot of reply.streams || []) this.#snapshot(snapshot);
    return more;
  }

  #persist(event, live) {
    if (event.streamId) {
      this.finished.add(event.streamId);
      this.streams.delete(event.streamId);
    }
    if (this.events.has(event.seq)) {
      if (event.streamId) this.listener.persisted(this.events.get(event.seq));
      return;
    }
    this.events.set(event.seq, event);
    this.listener.persisted(event);
    if (this.contiguous === null) return;
    if (event.seq === this.contiguous + 1) this.#advance();
    else if (event.seq > this.contiguous + 1 && live) this.listener.resync();
  }

  #advance() {
    while (this.events.has(this.contiguous + 1)) this.contiguous += 1;
  }

  #beyondContiguous() {
    for (const seq of this.events.keys()) if (seq > this.contiguous) return true;
    return false;
  }

  #stream(streamId, replyTo) {
    let stream = this.streams.get(streamId);
    if (!stream) {
      stream = { streamId, replyTo: replyTo || null, index: -1, text: '', pending: new Map(), ended: false, error: null };
      this.streams.set(streamId, stream);
    }
    if (replyTo && !stream.replyTo) stream.replyTo = replyTo;
    return stream;
  }

  #thinking(event) {
    if (!event.streamId || this.finished.has(event.streamId)) return;
    const stream = this.#stream(event.streamId, event.replyTo);
    if (event.assistantId) stream.assistantId = event.assistantId; // who answers, for the label
    this.listener.stream(stream);
  }

  #chunk(event) {
    if (!event.streamId || this.finished.has(event.streamId) || !Number.isInteger(event.index)) return;
    const stream = this.#stream(event.streamId);
    if (event.index <= stream.index || stream.pending.has(event.index)) return;
    if (event.index === stream.index + 1) {
      stream.text += event.delta || '';
      stream.index = event.index;
      this.#drain(stream);
      this.listener.stream(stream);
    } else {
      // Chunks before this one were missed (joined mid-answer, or a reconnect): keep it and ask for the
      // snapshot of the text so far.
      stream.pending.set(event.index, event.delta || '');
      this.listener.resync();
    }
  }

  /** A history reply's {streamId, replyTo, index, text}: the text up to chunk index (-1: none yet). */
  #snapshot(snapshot) {
    if (!snapshot.streamId || this.finished.has(snapshot.streamId)) return;
    const stream = this.#stream(snapshot.streamId, snapshot.replyTo);
    const index = Number.isInteger(snapshot.index) ? snapshot.index : -1;
    if (index > stream.index) {
      stream.text = snapshot.text || '';
      stream.index = index;
    }
    this.#drain(stream);
    this.listener.stream(stream);
  }

  #drain(stream) {
    while (stream.pending.has(stream.index + 1)) {
      stream.index += 1;
      stream.text += stream.pending.get(stream.index);
      stream.pending.delete(stream.index);
    }
    for (const index of stream.pending.keys()) if (index <= stream.index) stream.pending.delete(index);
  }

  /** ai_response_error without seq: the answer failed and nothing was kept. */
  #failed(event) {
    if (!event.streamId || this.finished.has(event.streamId)) return;
    this.finished.add(event.streamId);
    const stream = this.#stream(event.streamId);
    stream.ended = true;
    stream.error = event.error || 'The answer failed.';
    this.streams.delete(event.streamId);
    this.listener.stream(stream);
  }
}
