// The message box and its actions. Send sends; "Ask AI" (or a message starting with "@assistant ") sends
// and asks the assistant to answer, for that message only. A file (picked, dropped on the conversation or
// pasted) waits above the box until Send, and the text written with it is its caption.

import { $, setText, formatSize } from './dom.js';

const ASK_PREFIX = /^@assistant\s+/i;

export class Composer {
  /** room(): the open Room or null; onError(message). */
  constructor({ room, onError }) {
    this.room = room;
    this.onError = onError;
    this.box = $('message-text');
    this.file = null;
    this.box.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit(false);
      }
    });
    this.box.addEventListener('input', () => {
      const r = this.room();
      if (r && this.box.value.trim()) r.typed();
    });
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(false);
    });
    $('ask-ai').addEventListener('click', () => this.submit(true));
    $('file-input').addEventListener('change', (e) => {
      const file = e.target.files && e.target.files[0];
      e.target.value = '';
      if (file) this.attach(file);
    });
    $('attachment-remove').addEventListener('click', () => this.attach(null));
    this.#acceptDrops($('room'));
    this.box.addEventListener('paste', (e) => {
      const file = [...((e.clipboardData && e.clipboardData.files) || [])][0];
      if (!file) return;
      e.preventDefault();
      this.attach(file);
    });
  }

  /** A new conversation opened: nothing attached there. */
  reset() {
    this.attach(null);
  }

  /** Puts a file above the box (null: takes it away); Send uploads it. */
  attach(file) {
    this.file = file;
    $('attachment').hidden = !file;
    setText($('attachment-name'), file ? `\u{1F4CE} ${file.name} (${formatSize(file.size)})` : '');
    if (file) this.box.focus();
  }

  async submit(askAi) {
    const room = this.room();
    if (!room) return;
    if (this.file) {
      await this.#upload(room);
      return;
    }
    let text = this.box.value;
    if (!text.trim()) return;
    const ai = askAi || ASK_PREFIX.test(text);
    text = text.replace(ASK_PREFIX, '');
    if (!text.trim()) return;
    this.onError('');
    this.box.value = '';
    try {
      await room.send(text, ai);
    } catch (err) {
      if (!this.box.value) this.box.value = text;
      if (room === this.room()) this.onError(`Not sent: ${err.message}`);
    }
  }

  async #upload(room) {
    const file = this.file;
    const caption = this.box.value.trim();
    const progress = $('upload-progress');
    progress.value = 0;
    setText($('upload-label'), `Uploading ${file.name}`);
    $('upload').hidden = false;
    this.onError('');
    this.attach(null);
    this.box.value = '';
    try {
      await room.upload(file, caption, (fraction) => { progress.value = Math.round(fraction * 100); }).promise;
    } catch (err) {
      if (!this.box.value) this.box.value = caption;
      if (room === this.room()) {
        this.attach(file);
        this.onError(`Upload failed: ${err.status === 413 ? 'the file is too large.' : err.message}`);
      }
    } finally {
      $('upload').hidden = true;
    }
  }

  #acceptDrops(area) {
    const hasFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    area.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      area.classList.add('dropping');
    });
    area.addEventListener('dragleave', (e) => {
      if (!area.contains(e.relatedTarget)) area.classList.remove('dropping');
    });
    area.addEventListener('drop', (e) => {
      area.classList.remove('dropping');
      if (!hasFiles(e)) return;
      e.preventDefault();
      const file = e.dataTransfer.files[0];
      if (file) this.attach(file);
    });
  }
}
