// The banner while the bridge is down: says so plainly, counts the seconds to the next reconnect attempt,
// offers to try now, and tells that messages written meanwhile wait and go out when the connection is back.

import { $, setText } from './dom.js';

export class OutageBanner {
  /** nextAttemptAt(): epoch ms of the next attempt, or null while an attempt runs; onRetry(): try now. */
  constructor(nextAttemptAt, onRetry) {
    this.nextAttemptAt = nextAttemptAt;
    this.node = $('outage');
    this.text = $('outage-text');
    this.timer = null;
    this.down = false;
    $('reconnect-now').addEventListener('click', () => onRetry());
  }

  /** Follows the connection's state ('open', 'connecting', 'reconnecting', 'catching-up', 'closed'). */
  state(state) {
    if (state === 'reconnecting') this.down = true;
    if (state === 'open' || state === 'closed' || state === 'catching-up') this.down = false;
    if (!this.down) {
      clearInterval(this.timer);
      this.timer = null;
      this.node.hidden = true;
      delete this.node.dataset.seconds;
      return;
    }
    this.node.hidden = false;
    this.#tick();
    if (!this.timer) this.timer = setInterval(() => this.#tick(), 250);
  }

  #tick() {
    const at = this.nextAttemptAt();
    const queued = 'Messages you send now wait and go out when it is back.';
    if (at === null) {
      delete this.node.dataset.seconds;
      setText(this.text, `Connection lost. Reconnecting\u2026 ${queued}`);
      $('reconnect-now').hidden = true;
      return;
    }
    const seconds = Math.max(0, Math.ceil((at - Date.now()) / 1000));
    if (this.node.dataset.seconds === String(seconds)) return;
    this.node.dataset.seconds = String(seconds);
    setText(this.text, `Connection lost. Reconnecting in ${seconds} s. ${queued}`);
    $('reconnect-now').hidden = false;
  }
}
