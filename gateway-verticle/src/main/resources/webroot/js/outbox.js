// Sends one at a time, in the order they were made. Two requests on one socket are handled concurrently
// by the server, so two messages typed quickly could otherwise be stored (and numbered) the other way
// round; waiting for each reply keeps a tab's messages in the order its user wrote them.
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
