// Messages written but not yet stored by the server, kept in the tab's sessionStorage so that a reload
// during an outage loses none: the page sends them again (same clientMsgId, so never twice) once it can.
// Also which of them this page is sending right now, so one message has one sender.

const KEY = 'chorus.pending';
const sending = new Set(); // clientMsgIds with a delivery running in this page

function read() {
  try {
    const entries = JSON.parse(sessionStorage.getItem(KEY));
    return Array.isArray(entries) ? entries : [];
  } catch {
    return [];
  }
}

function write(entries) {
  try {
    if (entries.length) sessionStorage.setItem(KEY, JSON.stringify(entries));
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled or full: the message still goes while the page stays open.
  }
}

export const pendingStore = {
  /** Every waiting message: {conversationId, clientMsgId, text, ai}, oldest first. */
  all: read,

  add(entry) {
    write([...read().filter((e) => e.clientMsgId !== entry.clientMsgId), entry]);
  },

  /** Stored by the server, or refused for good: nothing more to send. */
  done(clientMsgId) {
    write(read().filter((e) => e.clientMsgId !== clientMsgId));
  },

  /** True when the caller becomes the message's one sender in this page (release it when done). */
  claim(clientMsgId) {
    if (sending.has(clientMsgId)) return false;
    sending.add(clientMsgId);
    return true;
  },

  release(clientMsgId) {
    sending.delete(clientMsgId);
  },

  clear() {
    write([]);
  },
};
