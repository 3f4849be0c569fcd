// Keeps the message list at its end while the reader is at the end: new messages, a streaming answer that
// grows and an image that loads later all keep the newest line in view. A reader who scrolled up stays
// where they are, and a "New messages" button counts what arrived below and jumps there.

const AT_END_PX = 48;

export class ScrollPin {
  /** scroller: the scrolling element; content: what grows inside it; button: the "New messages" button. */
  constructor(scroller, content, button) {
    this.scroller = scroller;
    this.button = button;
    this.pinned = true;
    this.unseen = 0;
    this.lastTop = scroller.scrollTop;
    // Only a move up lets go of the end. A scroll event can come after more content arrived (the event of
    // our own scroll to the end, a frame later): measured then, the end looks far, yet the reader did not move.
    this.onScroll = () => {
      const top = this.scroller.scrollTop;
      if (this.#atEnd()) this.pinned = true;
      else if (top < this.lastTop - 1) this.pinned = false;
      this.lastTop = top;
      if (this.pinned) this.#clearUnseen();
    };
    scroller.addEventListener('scroll', this.onScroll, { passive: true });
    // Any change of height (a message, a chunk of an answer, an image that loaded, a resized window): if
    // the reader was at the end before it, they are at the end after it.
    this.resizes = new ResizeObserver(() => {
      if (this.pinned) this.toEnd();
    });
    this.resizes.observe(content);
    this.resizes.observe(scroller);
    this.onJump = () => this.toEnd();
    button.addEventListener('click', this.onJump);
  }

  /** Scrolls to the newest message and pins there. */
  toEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastTop = this.scroller.scrollTop;
    this.pinned = true;
    this.#clearUnseen();
  }

  /** A new message arrived live: counted for the button when the reader is elsewhere. */
  arrived() {
    if (this.pinned) return;
    this.unseen += 1;
    this.button.textContent = 'New messages \u2193';
    this.button.dataset.count = String(this.unseen);
    this.button.hidden = false;
  }

  /** Runs a change that adds content above (older messages) without moving what the reader looks at. */
  keepPositionWhile(change) {
    const fromEnd = this.scroller.scrollHeight - this.scroller.scrollTop;
    change();
    this.scroller.scrollTop = this.scroller.scrollHeight - fromEnd;
    this.lastTop = this.scroller.scrollTop;
  }

  reset() {
    this.pinned = true;
    this.#clearUnseen();
  }

  dispose() {
    this.resizes.disconnect();
    this.scroller.removeEventListener('scroll', this.onScroll);
    this.button.removeEventListener('click', this.onJump);
    this.#clearUnseen();
  }

  #atEnd() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < AT_END_PX;
  }

  #clearUnseen() {
    this.unseen = 0;
    this.button.hidden = true;
  }
}
