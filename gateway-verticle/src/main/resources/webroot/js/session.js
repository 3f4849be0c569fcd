// What survives a reload of the tab: the account and token, and the open conversation. sessionStorage only
// (per tab, gone with it); never the page's URL.

const ACCOUNT = 'chorus.account';
const CONVERSATION = 'chorus.conversation';

function read(key) {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null || value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage disabled or full: the page still works, it just forgets on reload.
  }
}

export const session = {
  /** {userId, username, token} or null. */
  account: () => read(ACCOUNT),
  saveAccount: (account) => write(ACCOUNT, account),
  conversation: () => read(CONVERSATION),
  saveConversation: (conversationId) => write(CONVERSATION, conversationId),
  clear() {
    write(ACCOUNT, null);
    write(CONVERSATION, null);
  },
};

/** Expiry of a JWT in epoch milliseconds, from its exp claim (null when it cannot be read). */
export function tokenExpiry(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '='))).exp;
    return Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
