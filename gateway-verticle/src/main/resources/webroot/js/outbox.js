// Sends one at a time, in the order they were made. Two requests on one socket are handled concurrently
// by the server, so two messages typed quickly could otherwise be stored (and numbered) the other way
// round; waiting for each reply keeps a tab's messages in the order its user wrote them.
// Also the resend of a request the server answered 503 "overloaded, resend later" (docs/protocol.md).
// Pure logic: gateway-verticle/src/main/web/test/outbox.test.mjs.

export class Outbox {
  constructor() {
    this.last = Promise.resolve();
  }

  /** Runs task() once every earlier task has settled; resolves or rejects as task() does. */
  enqueue(task) {
    const result = this.last.then(() => task());
    this.last = result.catch(() => {}); // a failed send does not hold back the next
    return result;
  }
}

const RESEND_BASE_MS = 500;
const RESEND_MAX_MS = 8000;
const RESEND_ATTEMPTS = 6;

/**
 * The wait before resend number `attempt` (0 for the first): doubling from RESEND_BASE_MS up to
 * RESEND_MAX_MS, each a random time between half of that and all of it, so the tabs a busy server turned
 * away do not all come back in the same millisecond. random() as Math.random: in [0, 1).
 */
export function resendDelayMs(attempt, random = Math.random) {
  const ceiling = Math.min(RESEND_MAX_MS, RESEND_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs send() until it succeeds or fails with an error busy(error) does not call a "resend later", waiting
 * resendDelayMs between tries; after `attempts` tries the last error stands. A resend must be idempotent
 * (a chat message keeps its clientMsgId). wait(ms) as a timer; given by tests.
 */
export async function sendWithResend(send, busy, {
  attempts = RESEND_ATTEMPTS, random = Math.random, wait = (ms) => new Promise((r) => setTimeout(r, ms)),
} = {}) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (e) {
      if (!busy(e) || attempt + 1 >= attempts) throw e;
      await wait(resendDelayMs(attempt, random));
    }
  }
}
