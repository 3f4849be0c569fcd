// The Chorus chat page: sign-in, the conversation list, and the open conversation over the event-bus bridge.

import { $, setText } from './dom.js';
import { Api } from './api.js';
import { assistants } from './assistants.js';
import { Connection } from './connection.js';
import { Room } from './room.js';
import { session, tokenExpiry } from './session.js';
import { catchUpAnnouncements, setUpAdminPanel, showAnnouncement, showNotice } from './admin.js';
import { ConversationList } from './conversation-list.js';
import { OutageBanner } from './outage-banner.js';
import { Composer } from './composer.js';
import { handleCodeCopy } from './markdown.js';
import { pendingStore } from './pending-store.js';

const REFRESH_BEFORE_MS = 5 * 60 * 1000;

let account = null; // {userId, username, token, admin}
let conn = null;
let room = null;
let list = null;
let refreshTimer = null;
let readTimer = null;

const outage = new OutageBanner(() => (conn ? conn.nextAttemptAt : null), () => conn && conn.reconnectNow());
handleCodeCopy($('messages'));

const api = new Api(() => (account ? account.token : null), () => logout('Your session has ended. Please log in again.'));

// ---- sign in -------------------------------------------------------------------------------------------

$('auth-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const action = e.submitter && e.submitter.value === 'register' ? 'register' : 'login';
  const username = $('auth-username').value.trim();
  const password = $('auth-password').value;
  setText($('auth-error'), '');
  for (const b of e.target.querySelectorAll('button')) b.disabled = true;
  try {
    const reply = await api.call('POST', `/api/auth/${action}`, { username, password });
    $('auth-password').value = '';
    signedIn({ userId: reply.userId, username: reply.username, token: reply.token, admin: reply.admin === true });
  } catch (err) {
    setText($('auth-error'), action === 'login' && err.status === 401 ? 'Wrong username or password.' : err.message);
  } finally {
    for (const b of e.target.querySelectorAll('button')) b.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  // Ends this login's session on every gateway (other devices stay signed in); the page signs out either way.
  try {
    await api.post('/api/auth/logout');
  } catch {
    // Offline or already ended: nothing more to end.
  }
  logout();
});

function signedIn(acc) {
  account = acc;
  session.saveAccount(account);
  $('auth').hidden = true;
  $('app').hidden = false;
  $('account').hidden = false;
  setText($('me'), account.username);
  setUpAdminPanel(api, account.admin === true);
  list = new ConversationList({ me: account, onOpen: openConversation, inView: roomInView });
  scheduleRefresh();
  conn = new Connection({
    // A one-socket ticket, not the token: the long-lived token never travels in a URL.
    url: () => `/eventbus?token=${encodeURIComponent(socketTicket)}`,
    prepare: prepareSocket,
    onOpen: socketOpened,
    onState: showConnection,
    onError: (err) => console.warn('bridge error', err),
  });
  conn.start();
  assistants.load(api).then(() => {
    assistants.fill($('create-assistant'));
    if (room) assistants.fill($('room-assistant'), room.conversation.assistantId);
  });
  loadConversations().then(() => {
    const wanted = session.conversation();
    const found = wanted && list && list.find(wanted);
    if (found) openConversation(found);
  });
  showNoRoom();
}

function logout(message) {
  clearTimeout(refreshTimer);
  if (room) room.close();
  room = null;
  if (conn) conn.stop();
  conn = null;
  account = null;
  if (list) list.clear();
  list = null;
  session.clear();
  pendingStore.clear();
  $('conversation-list').replaceChildren();
  document.title = 'Chorus';
  $('room').hidden = true;
  $('app').hidden = true;
  $('app').classList.remove('in-room');
  $('account').hidden = true;
  $('admin').hidden = true;
  $('auth').hidden = false;
  setText($('auth-error'), message || '');
  showConnection('closed');
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const expiry = tokenExpiry(account.token);
  if (!expiry) return;
  const delay = Math.max(10_000, expiry - Date.now() - REFRESH_BEFORE_MS);
  refreshTimer = setTimeout(() => refreshToken().catch(() => {}), Math.min(delay, 2 ** 31 - 1));
}

async function refreshToken() {
  const reply = await api.post('/api/auth/refresh');
  if (!account) return;
  account = { ...account, token: reply.token };
  session.saveAccount(account);
  scheduleRefresh();
}

/**
 * Before each socket: a token about to run out is exchanged first (the socket lives on the token). After
 * failed attempts the token is exchanged anyway: a token the server refuses (a restarted server with another
 * key) ends the session instead of retrying forever.
 */
let socketTicket = null;

/** Before each socket: the token refreshed when due, then a ticket for the bridge URL (valid a minute, once). */
async function prepareSocket(failures) {
  await refreshIfDue(failures);
  socketTicket = (await api.post('/api/auth/ticket')).ticket;
}

async function refreshIfDue(failures) {
  const expiry = account && tokenExpiry(account.token);
  if (failures >= 2 || (expiry && expiry - Date.now() < 60_000)) await refreshToken();
}

// ---- connection ----------------------------------------------------------------------------------------

function showConnection(state, detail) {
  outage.state(state);
  const node = $('connection');
  node.dataset.state = state;
  node.dataset.transport = state === 'open' && detail ? detail : '';
  const text = {
    connecting: 'Connecting\u2026',
    open: `Connected${detail ? ` (${detail})` : ''}`,
    reconnecting: 'Offline', // the outage banner below counts down to the next attempt
    'catching-up': 'Catching up\u2026',
    closed: 'Not connected',
  }[state];
  setText(node, text || state);
}

function socketOpened() {
  conn.subscribe(`client.user.${account.userId}`, onPersonalEvent);
  if (room) room.enter();
  sendPendingElsewhere();
  loadConversations().then(() => list && conn && conn.open && list.watch(conn));
  catchUpAnnouncements(api).catch(() => {});
}

window.addEventListener('online', () => conn && conn.reconnectNow());

/**
 * Messages written before a reload in conversations that are not open now (the open one's Room sends its
 * own): over HTTP, with their clientMsgId, so a message that did arrive before is not stored again.
 */
function sendPendingElsewhere() {
  for (const entry of pendingStore.all()) {
    if ((room && entry.conversationId === room.id) || !pendingStore.claim(entry.clientMsgId)) continue;
    const { conversationId, clientMsgId, text, ai } = entry;
    api.post(`/api/conversations/${encodeURIComponent(conversationId)}/messages`, { text, clientMsgId, ai })
      .then(() => pendingStore.done(clientMsgId), (e) => {
        if (e.status !== 0 && e.status !== 503) pendingStore.done(clientMsgId); // refused for good
      })
      .finally(() => pendingStore.release(clientMsgId));
  }
}

function onPersonalEvent(event) {
  // The gateway is shutting down and closes the socket next; the connection's jittered backoff brings it back.
  if (event && event.type === 'gateway_closing') return;
  // This socket fell behind its rooms and is closed next; the page reconnects at once and reads what it missed.
  if (event && event.type === 'slow_consumer') {
    conn.expectCatchUp();
    return;
  }
  // Read in another tab or on another device: the counts follow.
  if (event && event.type === 'read_marker') {
    if (list) list.read(event.conversationId, event.lastReadSeq);
    return;
  }
  if (event && event.type === 'announcement') {
    showAnnouncement(event);
    return;
  }
  // An operator closed our sockets: say why; a suspended account is signed out, a disconnected one stays off.
  if (event && event.type === 'disconnected') {
    if (event.reason === 'account suspended') {
      logout('Your account has been suspended.');
    } else {
      if (conn) conn.stop();
      showNotice(`${event.reason || 'Disconnected'}. Reload the page to connect again.`);
    }
    return;
  }
  if (event && event.type === 'conversation_removed' && room && room.id === event.conversationId) {
    const self = event.removedBy && event.removedBy.userId === account.userId;
    closeConversation(self ? '' : `${event.removedBy ? event.removedBy.username : 'The owner'} removed you from "${room.conversation.title}".`);
  }
  loadConversations().then(() => {
    if (list && conn && conn.open) list.watch(conn);
    if (!room || !list) return;
    const current = list.find(room.id);
    if (current) conversationUpdated(current);
  });
  if (event && event.type) console.info('personal event', event.type);
}

// ---- conversations -------------------------------------------------------------------------------------

async function loadConversations() {
  try {
    const reply = await api.get('/api/conversations');
    if (!list) return;
    setText($('sidebar-note'), '');
    list.replace((reply && reply.conversations) || []);
    markSeenSoon();
  } catch (e) {
    if (account) setText($('sidebar-note'), `Could not load conversations: ${e.message}`);
  }
}

/**
 * The open conversation's newest message counts as read when the reader can see it: the window has the
 * focus and the list is at its end. The marker goes to the server (which tells the user's other tabs and
 * devices) once the burst of messages settles. Only with a server that keeps read markers (lastReadSeq).
 */
function markSeenSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(markSeen, 300);
}

/** The reader sees this conversation's newest messages: it is open, the window has the focus, the list at its end. */
function roomInView(conversationId) {
  return room !== null && room.id === conversationId && !document.hidden && document.hasFocus()
    && room.view.ready && room.view.pin.pinned;
}

function markSeen() {
  if (!room || !list || !conn || !conn.open || !roomInView(room.id)) return;
  const seq = room.view.newestSeq;
  const conversation = list.find(room.id);
  if (!seq || !conversation || !('lastReadSeq' in conversation)) return;
  const id = room.id;
  if (list.read(id, seq)) {
    conn.request('client.conversation.read', { conversationId: id, seq }).catch((e) => console.warn('read marker', e.message));
  }
}

window.addEventListener('focus', markSeenSoon);
document.addEventListener('visibilitychange', markSeenSoon);
$('scroller').addEventListener('scroll', markSeenSoon, { passive: true });

$('new-conversation').addEventListener('click', () => {
  setText($('create-error'), '');
  $('create-dialog').showModal();
  $('create-title').focus();
});
$('create-cancel').addEventListener('click', () => $('create-dialog').close());

$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  setText($('create-error'), '');
  const title = $('create-title').value.trim();
  const members = $('create-members').value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  try {
    const assistantId = $('create-assistant').value || undefined;
    const created = await api.post('/api/conversations', { title, members, assistantId });
    $('create-title').value = '';
    $('create-members').value = '';
    $('create-dialog').close();
    await loadConversations();
    if (list && conn && conn.open) list.watch(conn);
    openConversation((list && list.find(created.conversationId)) || created);
  } catch (err) {
    setText($('create-error'), err.status === 404 ? `Unknown username: ${err.message}` : err.message);
  }
});

function openConversation(conversation) {
  if (room && room.id === conversation.conversationId) {
    $('app').classList.add('in-room');
    return;
  }
  if (room) room.close();
  setText($('room-error'), '');
  askToLeave(false);
  room = new Room({
    conversation,
    me: account,
    conn,
    api,
    onChange: roomChanged,
    onActivity: markSeenSoon,
    onError: (message) => setText($('room-error'), message),
  });
  session.saveConversation(conversation.conversationId);
  composer.reset();
  $('room').hidden = false;
  $('no-room').hidden = true;
  $('app').classList.add('in-room');
  $('invite-form').hidden = !room.isOwner;
  assistants.fill($('room-assistant'), conversation.assistantId);
  list.setCurrent(conversation.conversationId, conversation.title);
  conversationUpdated(conversation);
  roomChanged(room);
  if (conn.open) room.enter();
  $('message-text').focus();
}

function roomChanged(r) {
  if (r !== room) return;
  $('invite-form').hidden = !r.isOwner; // an owner who left hands the conversation on
  $('room-assistant').value = r.conversation.assistantId || assistants.defaultId() || '';
  $('stop').hidden = r.timeline.activeStreams().length === 0;
  $('load-older').hidden = !r.timeline.hasOlder;
  // Only a server that keeps "answers every message" lists it; an older one shows no switch.
  const everyMessage = r.conversation.answersEveryMessage;
  $('answers-every-label').hidden = typeof everyMessage !== 'boolean';
  $('answers-every').checked = everyMessage === true;
  $('ask-ai').hidden = everyMessage === true; // every message is a question already
  markSeenSoon();
}

/** The open conversation's settings changed (or were loaded): the header follows. */
function conversationUpdated(conversation) {
  if (!room) return;
  room.updateConversation(conversation);
  roomChanged(room);
}

$('answers-every').addEventListener('change', async (e) => {
  if (!room) return;
  const current = room;
  const wanted = e.target.checked;
  setText($('room-error'), '');
  try {
    const updated = await api.call('PATCH', `/api/conversations/${encodeURIComponent(current.id)}`, { answersEveryMessage: wanted });
    if (current === room) conversationUpdated({ ...(updated || {}), answersEveryMessage: wanted });
  } catch (err) {
    setText($('room-error'), err.message);
    if (current === room) e.target.checked = !wanted;
  }
});

/** Nothing open: on a wide screen the room's place says what to do. */
function showNoRoom() {
  $('no-room').hidden = room !== null;
}

// Any member switches the conversation's assistant; everyone (this page too) learns it from assistant_changed.
$('room-assistant').addEventListener('change', async (e) => {
  if (!room) return;
  const current = room;
  setText($('room-error'), '');
  try {
    await api.call('PATCH', `/api/conversations/${encodeURIComponent(current.id)}`, { assistantId: e.target.value });
  } catch (err) {
    setText($('room-error'), err.message);
    if (current === room) e.target.value = room.conversation.assistantId || assistants.defaultId() || '';
  }
});

$('back').addEventListener('click', () => $('app').classList.remove('in-room'));

/** No conversation open (after leaving one, or being removed), with a note saying why when there is one. */
function closeConversation(note) {
  if (room) room.close();
  room = null;
  session.saveConversation(null);
  $('room').hidden = true;
  $('app').classList.remove('in-room');
  setText($('sidebar-note'), note || '');
  if (list) list.setCurrent(null, null);
  showNoRoom();
}

function askToLeave(open) {
  $('leave-confirm').hidden = !open;
  $('leave').setAttribute('aria-expanded', String(open));
}

$('leave').addEventListener('click', () => askToLeave($('leave-confirm').hidden));
$('leave-no').addEventListener('click', () => askToLeave(false));
$('leave-yes').addEventListener('click', async () => {
  askToLeave(false);
  if (!room) return;
  try {
    await api.delete(`/api/conversations/${encodeURIComponent(room.id)}/members/${encodeURIComponent(account.userId)}`);
    closeConversation('');
    loadConversations();
  } catch (err) {
    setText($('room-error'), `Could not leave: ${err.message}`);
  }
});

$('invite-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!room) return;
  const username = $('invite-username').value.trim();
  setText($('invite-error'), '');
  try {
    const updated = await api.post(`/api/conversations/${encodeURIComponent(room.id)}/members`, { username });
    $('invite-username').value = '';
    if (updated && room && updated.conversationId === room.id) room.updateConversation(updated);
    loadConversations();
  } catch (err) {
    setText($('invite-error'), err.status === 404 ? `No user named ${username}.` : err.message);
  }
});

$('load-older').addEventListener('click', async () => {
  if (!room) return;
  $('load-older').disabled = true;
  try {
    await room.loadOlder();
  } catch (e) {
    setText($('room-error'), `Could not load older messages: ${e.message}`);
  } finally {
    $('load-older').disabled = false;
  }
});

// ---- composer ------------------------------------------------------------------------------------------

const composer = new Composer({
  room: () => room,
  onError: (message) => setText($('room-error'), message),
});

$('stop').addEventListener('click', async () => {
  if (!room) return;
  try {
    await room.stop();
  } catch (e) {
    setText($('room-error'), `Could not stop the answer: ${e.message}`);
  }
});

// ---- start ---------------------------------------------------------------------------------------------

const stored = session.account();
const expiry = stored && tokenExpiry(stored.token);
if (stored && stored.token && (!expiry || expiry > Date.now() + 5000)) {
  signedIn(stored);
} else {
  session.clear();
  showConnection('closed');
}
