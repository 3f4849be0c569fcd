// The event-bus bridge connection: the stock vertx-eventbus.js client (over SockJS) with our own reconnect
// loop, so every new socket carries the current token. Requests get a timeout and fail when the socket goes.

export class BusError extends Error {
  /**
   * local: no answer came from the server (not connected, the socket was lost, no reply in time), so the
   * request may or may not have arrived; otherwise code is the server's failureCode.
   */
  constructor(code, message, local = false) {
    super(message || `failed (${code})`);
    this.code = code;
    this.local = local;
  }
}

const MAX_DELAY_MS = 8000;
/** A socket that stayed open this long resets the backoff; one that keeps dropping right away backs off. */
const STABLE_MS = 10000;

export class Connection {
  /**
   * url(): the bridge URL for the next socket (with the current token);
   * prepare(failures): async, run before each connect with the number of failed attempts in a row
   *   (refreshes the token when due, and checks it after failures: a refused token also fails the socket);
   * onOpen(): register and resync everything (the client's handlers are gone after a reconnect);
   * onState(state, detail): 'connecting' | 'open' (detail: transport) | 'reconnecting' (detail: seconds; the
   *   moment of the next attempt is nextAttemptAt) | 'catching-up'
   *   (the gateway closes the socket as slow; reconnecting at once) | 'closed'.
   */
  constructor({ url, prepare, onOpen, onState, onError }) {
    Object.assign(this, { url, prepare, onOpen, onState, onError });
    this.eb = null;
    this.stopped = true;
    this.attempts = 0;
    this.retryTimer = null;
    this.pending = new Set();
    this.openWaiters = [];
    this.nextAttemptAt = null; // epoch ms of the next reconnect attempt while waiting for it
  }

  /** Resolves when a socket is open and entered (at once when it is open now). */
  whenOpen() {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => this.openWaiters.push(resolve));
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.#connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.#drop();
    this.onState('closed');
  }

  /**
   * The gateway closes this socket next because it fell behind (a `slow_consumer` event): come back at once,
   * without the backoff, and show it as catching up rather than as a lost connection.
   */
  expectCatchUp() {
    this.catchingUp = true;
    this.onState('catching-up');
  }

  /** Skips the wait of a scheduled reconnect (the browser came back online, for instance). */
  reconnectNow() {
    if (this.stopped || this.eb || this.nextAttemptAt === null) return;
    clearTimeout(this.retryTimer);
    this.nextAttemptAt = null;
    this.#connect();
  }

  get open() {
    return this.eb !== null && this.eb.state === window.EventBus.OPEN;
  }

  get transport() {
    return this.eb && this.eb.sockJSConn ? this.eb.sockJSConn.transport : null;
  }

  /** Sends a request and resolves with the reply body; rejects with a BusError (code = failureCode). */
  request(address, body, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      if (!this.open) {
        reject(new BusError(503, 'Not connected.', true));
        return;
      }
      const entry = { reject, timer: null };
      entry.timer = setTimeout(() => {
        if (this.pending.delete(entry)) reject(new BusError(503, 'No reply in time.', true));
      }, timeoutMs);
      this.pending.add(entry);
      try {
        this.eb.send(address, body, {}, (err, message) => {
          clearTimeout(entry.timer);
          if (!this.pending.delete(entry)) return;
          if (err) reject(new BusError(err.failureCode, err.message));
          else resolve(message.body);
        });
      } catch {
        clearTimeout(entry.timer);
        this.pending.delete(entry);
        reject(new BusError(503, 'Not connected.', true));
      }
    });
  }

  /** Sends without waiting for a reply (typing); silently dropped while disconnected. */
  notify(address, body) {
    if (!this.open) return;
    try {
      this.eb.send(address, body, {});
    } catch {
      // closed meanwhile: typing is best effort
    }
  }

  /** Registers a handler for an address on the current socket; handler(body). Returns the unsubscribe. */
  subscribe(address, handler) {
    const eb = this.eb;
    if (!this.open) throw new BusError(503, 'Not connected.', true);
    const wrapped = (err, message) => {
      if (err) this.onError(err);
      else handler(message.body);
    };
    eb.registerHandler(address, {}, wrapped);
    return () => {
      if (this.eb !== eb || !this.open) return; // that socket is gone, and its registrations with it
      try {
        eb.unregisterHandler(address, {}, wrapped);
      } catch {
        // closed meanwhile
      }
    };
  }

  async #connect() {
    this.onState(this.catchingUp ? 'catching-up' : 'connecting');
    try {
      await this.prepare(this.attempts);
    } catch (e) {
      if (!this.stopped) this.#scheduleRetry();
      return;
    }
    if (this.stopped) return;
    const eb = new window.EventBus(this.url(), { vertxbus_ping_interval: 5000 });
    this.eb = eb;
    let openedAt = 0;
    eb.onopen = () => {
      if (this.eb !== eb) return;
      openedAt = Date.now();
      this.catchingUp = false;
      this.nextAttemptAt = null;
      this.onState('open', this.transport);
      this.onOpen();
      for (const resolve of this.openWaiters.splice(0)) resolve();
    };
    eb.onclose = () => {
      if (this.eb !== eb) return;
      this.eb = null;
      if (openedAt && Date.now() - openedAt > STABLE_MS) this.attempts = 0;
      this.#failPending();
      if (this.stopped) return;
      if (this.catchingUp) this.#connect();
      else this.#scheduleRetry();
    };
    eb.onerror = (err) => this.onError(err);
  }

  #scheduleRetry() {
    this.catchingUp = false;
    const base = Math.min(MAX_DELAY_MS, 500 * 2 ** this.attempts);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempts += 1;
    this.nextAttemptAt = Date.now() + delay;
    this.onState('reconnecting', Math.max(1, Math.round(delay / 1000)));
    this.retryTimer = setTimeout(() => {
      this.nextAttemptAt = null;
      this.#connect();
    }, delay);
  }

  #drop() {
    const eb = this.eb;
    this.eb = null;
    this.#failPending();
    if (eb) {
      eb.onclose = null;
      eb.onopen = null;
      try {
        eb.close();
      } catch {
        // already closed
      }
    }
  }

  #failPending() {
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new BusError(503, 'The connection was lost.', true));
    }
    this.pending.clear();
  }
}
