// The Chorus chat page: sign-in, the conversation list, and the open conversation over the event-bus bridge.

import { $, el, setText } from './dom.js';
import { Api } from './api.js';
import { assistants } from './assistants.js';
import { Connection } from './connection.js';
import { Room } from './room.js';
import { session, tokenExpiry } from './session.js';
import { catchUpAnnouncements, setUpAdminPanel, showAnnouncement, showNotice } from './admin.js';

const REFRESH_BEFORE_MS = 5 * 60 * 1000;

let account = null; // {userId, username, token, admin}
let conn = null;
let room = null;
let conversations = [];
let refreshTimer = null;

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
    const found = wanted && conversations.find((c) => c.conversationId === wanted);
    if (found) openConversation(found);
  });
}

function logout(message) {
  clearTimeout(refreshTimer);
  if (room) room.close();
  room = null;
  if (conn) conn.stop();
  conn = null;
  account = null;
  conversations = [];
  session.clear();
  $('conversation-list').replaceChildren();
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
  const node = $('connection');
  node.dataset.state = state;
  node.dataset.transport = state === 'open' && detail ? detail : '';
  const text = {
    connecting: 'Connecting\u2026',
    open: `Connected${detail ? ` (${detail})` : ''}`,
    reconnecting: `Connection lost; reconnecting in ${detail} s\u2026`,
    'catching-up': 'Catching up\u2026',
    closed: 'Not connected',
  }[state];
  setText(node, text || state);
}

function socketOpened() {
  conn.subscribe(`client.user.${account.userId}`, onPersonalEvent);
  if (room) room.enter();
  loadConversations();
  catchUpAnnouncements(api).catch(() => {});
}

window.addEventListener('online', () => conn && conn.reconnectNow());

function onPersonalEvent(event) {
  // The gateway is shutting down and closes the socket next; the connection's jittered backoff brings it back.
  if (event && event.type === 'gateway_closing') return;
  // This socket fell behind its rooms and is closed next; the page reconnects at once and reads what it missed.
  if (event && event.type === 'slow_consumer') {
    conn.expectCatchUp();
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
    if (!room) return;
    const current = conversations.find((c) => c.conversationId === room.id);
    if (current) room.updateConversation(current);
  });
  if (event && event.type) console.info('personal event', event.type);
}

// ---- conversations -------------------------------------------------------------------------------------

async function loadConversations() {
  try {
    const reply = await api.get('/api/conversations');
    conversations = (reply && reply.conversations) || [];
    renderConversations();
  } catch (e) {
    if (account) setText($('create-error'), `Could not load conversations: ${e.message}`);
  }
}

function renderConversations() {
  const items = conversations.map((c) => {
    const names = (c.members || []).map((m) => m.username).join(', ');
    const button = el('button', {
      type: 'button',
      'aria-current': room && room.id === c.conversationId ? 'true' : 'false',
      dataset: { conversationId: c.conversationId },
      onclick: () => openConversation(c),
    }, el('span', { class: 'title' }, c.title), el('span', { class: 'members-line' }, names));
    return el('li', {}, button);
  });
  $('conversation-list').replaceChildren(...items);
  $('conversation-empty').hidden = conversations.length > 0;
}

/** The open conversation had new activity: it moves to the top, as the server orders them. */
function bumpCurrent() {
  const index = conversations.findIndex((c) => room && c.conversationId === room.id);
  if (index > 0) {
    conversations.unshift(...conversations.splice(index, 1));
    renderConversations();
  }
}

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
    await loadConversations();
    openConversation(conversations.find((c) => c.conversationId === created.conversationId) || created);
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
    onActivity: bumpCurrent,
    onError: (message) => setText($('room-error'), message),
  });
  session.saveConversation(conversation.conversationId);
  $('room').hidden = false;
  $('app').classList.add('in-room');
  $('invite-form').hidden = !room.isOwner;
  assistants.fill($('room-assistant'), conversation.assistantId);
  document.title = `${conversation.title} \u2013 Chorus`;
  renderConversations();
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
  document.title = 'Chorus';
  setText($('create-error'), note || '');
  renderConversations();
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

const textBox = $('message-text');

textBox.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $('composer').requestSubmit();
  }
});

textBox.addEventListener('input', () => {
  if (room && textBox.value.trim()) room.typed();
});

$('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = textBox.value;
  if (!room || !text.trim()) return;
  const target = room;
  setText($('room-error'), '');
  textBox.value = '';
  try {
    await target.send(text, $('ask-ai').checked);
  } catch (err) {
    if (!textBox.value) textBox.value = text;
    setText($('room-error'), `Not sent: ${err.message}`);
  }
});

$('stop').addEventListener('click', async () => {
  if (!room) return;
  try {
    await room.stop();
  } catch (e) {
    setText($('room-error'), `Could not stop the answer: ${e.message}`);
  }
});

$('file-input').addEventListener('change', async (e) => {
  const file = e.target.files && e.target.files[0];
  e.target.value = '';
  if (!file || !room) return;
  const progress = $('upload-progress');
  progress.value = 0;
  setText($('upload-label'), `Uploading ${file.name}`);
  $('upload').hidden = false;
  setText($('room-error'), '');
  try {
    await room.upload(file, (fraction) => { progress.value = Math.round(fraction * 100); }).promise;
  } catch (err) {
    setText($('room-error'), `Upload failed: ${err.status === 413 ? 'the file is too large.' : err.message}`);
  } finally {
    $('upload').hidden = true;
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
