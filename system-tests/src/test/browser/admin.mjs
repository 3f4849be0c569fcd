// Browser scenario for operators' controls (issue 19), run by AdminPageBrowserIT against a deployment whose
// ADMIN_USERS names ADMIN_NAME (registered by the test with the usual password). By hand:
// CHORUS_URL=... ADMIN_NAME=... node admin.mjs operate-from-the-admin-panel
import { BASE_URL, main, newUser, connected, check, noPageErrors, screenshot } from './lib.mjs';

const PASSWORD = 'correct horse battery';

/** The user's id, as an operator would copy it: from a login of theirs (another session; harmless). */
async function userIdOf(username) {
  const reply = await fetch(`${BASE_URL}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  check(reply.ok, `log in as ${username}: ${reply.status}`);
  return (await reply.json()).userId;
}

async function adminAction(page, action, userId) {
  await page.locator('#admin-user').fill(userId);
  await page.locator(`#admin-${action}`).click();
  await page.locator('#admin-result', { hasText: `${action}: done for ${userId}.` }).waitFor();
}

const scenarios = {
  /**
   * An admin announces (every user sees the banner at once), reads the cluster view, disconnects a user (their
   * page says why and stays off), suspends them (their page signs out saying so, and they cannot log in) and
   * lifts it (they can). A user who is not an admin has no panel.
   */
  async 'operate-from-the-admin-panel'(browser) {
    const bob = await newUser(browser, 'bob');
    check(await bob.page.locator('#admin').isHidden(), 'no admin panel for a user who is not an admin');
    const admin = await newUser(browser, 'admin', { sameAs: { username: process.env.ADMIN_NAME } });
    const { page } = admin;
    await page.locator('#admin').waitFor();
    await page.locator('#admin summary').click();

    await page.locator('#announce-text').fill('Maintenance at 18:00: expect a short reconnect');
    await page.locator('#announce-level').selectOption('warning');
    await page.getByRole('button', { name: 'Announce' }).click();
    await page.locator('#admin-result', { hasText: 'Announced.' }).waitFor();
    const banner = bob.page.locator('#banner[data-level="warning"]');
    await banner.filter({ hasText: 'Maintenance at 18:00' }).waitFor();

    await page.getByRole('button', { name: 'Show the cluster' }).click();
    await page.locator('#admin-result', { hasText: /\d+ gateways?, \d+ LLM workers?, \d+ storage nodes?; database up\./ })
      .waitFor();
    check((await page.locator('#cluster-view').textContent()).includes('"gateways"'), 'the cluster view is shown');
    await screenshot(page, 'admin-panel');

    const bobId = await userIdOf(bob.username);
    await adminAction(page, 'disconnect', bobId);
    await bob.page.locator('#banner', { hasText: 'Reload the page to connect again' }).waitFor();
    await bob.page.locator('#connection:not([data-state="open"])').waitFor();

    await bob.page.reload();
    await connected(bob.page);
    await adminAction(page, 'suspend', bobId);
    await bob.page.locator('#auth-error', { hasText: 'Your account has been suspended.' }).waitFor();
    const refused = await fetch(`${BASE_URL}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: bob.username, password: PASSWORD }),
    });
    check(refused.status === 403, `a suspended user's login is refused: ${refused.status}`);

    await adminAction(page, 'unsuspend', bobId);
    check(Boolean(await userIdOf(bob.username)), 'the user can log in again');
    noPageErrors(admin, bob);
  },
};

await main(scenarios);
