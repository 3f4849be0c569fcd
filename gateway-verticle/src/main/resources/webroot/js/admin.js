// Operators' controls on the page: the announcement banner every user sees, and the admin panel (announce,
// disconnect, suspend, the cluster view) shown to admins. docs/protocol.md, "Operators".

import { $, setText } from './dom.js';

const LAST_SEEN = 'chorus.lastAnnouncement';

/** Shows an announcement ({announcementId, text, level, createdAt}) as the banner and remembers it as seen. */
export function showAnnouncement(announcement) {
  const banner = $('banner');
  banner.dataset.level = announcement.level === 'warning' ? 'warning' : 'info';
  setText($('banner-text'), announcement.text);
  banner.hidden = false;
  try {
    sessionStorage.setItem(LAST_SEEN, announcement.announcementId);
  } catch {
    // storage disabled: a reload shows the latest again
  }
}

/** A notice of our own (a disconnect's reason) in the same banner. */
export function showNotice(text) {
  showAnnouncement({ announcementId: lastSeen(), text, level: 'warning' });
}

function lastSeen() {
  try {
    return sessionStorage.getItem(LAST_SEEN);
  } catch {
    return null;
  }
}

/** After each (re)connect: the announcements made while this tab was offline; the newest one is shown. */
export async function catchUpAnnouncements(api) {
  const after = lastSeen();
  const reply = await api.get(`/api/announcements${after ? `?after=${encodeURIComponent(after)}` : ''}`);
  const missed = (reply && reply.announcements) || [];
  if (missed.length) showAnnouncement(missed[missed.length - 1]);
}

$('banner-close').addEventListener('click', () => {
  $('banner').hidden = true;
});

/** Wires the admin panel once; shows or hides it for the signed-in account. */
export function setUpAdminPanel(api, isAdmin) {
  $('admin').hidden = !isAdmin;
  if (!isAdmin || $('admin').dataset.wired) return;
  $('admin').dataset.wired = 'true';
  const report = (text) => setText($('admin-result'), text);
  const act = async (what) => {
    try {
      report(await what());
    } catch (err) {
      report(`Failed: ${err.message}`);
    }
  };
  $('announce-form').addEventListener('submit', (e) => {
    e.preventDefault();
    act(async () => {
      await api.post('/api/admin/announcements', { text: $('announce-text').value, level: $('announce-level').value });
      $('announce-text').value = '';
      return 'Announced.';
    });
  });
  for (const action of ['disconnect', 'suspend', 'unsuspend']) {
    $(`admin-${action}`).addEventListener('click', () => act(async () => {
      const userId = $('admin-user').value.trim();
      await api.post(`/api/admin/users/${encodeURIComponent(userId)}/${action}`);
      return `${action}: done for ${userId}.`;
    }));
  }
  $('cluster-refresh').addEventListener('click', () => act(async () => {
    const view = await api.get('/api/admin/cluster');
    setText($('cluster-view'), JSON.stringify(view, null, 2));
    const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;
    return `${count(view.gateways.length, 'gateway')}, ${count(view.llmWorkers.length, 'LLM worker')}, `
      + `${count(view.storageNodes.length, 'storage node')}; database ${String(view.database.status).toLowerCase()}.`;
  }));
}
