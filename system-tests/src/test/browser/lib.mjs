// Shared helpers for the browser scenarios: launch Debian's Chromium through playwright-core, sign up
// through the page, and wait on what the page shows (no fixed sleeps: every wait is on a condition).
import { mkdirSync } from 'node:fs';
import zlib from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.CHORUS_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const SCREENSHOTS = process.env.SCREENSHOT_DIR || 'screenshots';
export const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS || 20000);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'correct horse battery';
const opened = []; // every user of the running scenario, for screenshots when it fails

export function log(...parts) {
  console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...parts);
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function uniqueName(prefix) {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/**
 * A new browser context (its own session storage) with the page open, signed up as a new user.
 * options.noWebSocket: the page runs without window.WebSocket, so SockJS falls back to XHR transports.
 */
export async function newUser(browser, prefix, options = {}) {
  const context = await browser.newContext({ viewport: options.viewport || { width: 1100, height: 760 } });
  if (options.noWebSocket) {
    await context.addInitScript(() => {
      delete window.WebSocket;
      delete window.MozWebSocket;
    });
  }
  const sockets = new Set();
  const user = { context, username: options.sameAs ? options.sameAs.username : uniqueName(prefix), dialogs: [], pageErrors: [],
    sockets, bridgeBlocked: false };
  if (options.controlSockets) {
    // The page's bridge WebSockets go through the test, which can cut them (see dropConnection) or refuse
    // them (blockBridge).
    await context.routeWebSocket(/\/eventbus\//, (ws) => {
      if (user.bridgeBlocked) {
        ws.close({ code: 1011, reason: 'the test blocks the bridge' }).catch(() => {});
        return;
      }
      sockets.add(ws);
      ws.connectToServer();
    });
    // SockJS's other transports (and its /info) too, so a blocked bridge has no way round.
    await context.route(/\/eventbus\//, (route) => (user.bridgeBlocked ? route.abort() : route.continue()));
  }
  if (options.clipboard) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  }
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  user.page = page;
  opened.push(user);
  page.on('dialog', async (dialog) => {
    user.dialogs.push(dialog.message());
    log(`${prefix}: DIALOG opened: ${dialog.message()}`);
    await dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => {
    user.pageErrors.push(error);
    log(`${prefix}: page error: ${error.message}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log(`${prefix}: console.${message.type()}: ${message.text()}`);
  });
  await page.goto(`${BASE_URL}/`);
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: options.sameAs ? 'Log in' : 'Register' }).click();
  await page.locator('#me', { hasText: user.username }).waitFor();
  await connected(page);
  check(page.url() === `${BASE_URL}/`, `the token stays out of the address: ${page.url()}`);
  return user;
}

/** Another tab (its own browser context) of a user who exists: logs in as them. */
export function anotherTab(browser, user, prefix) {
  return newUser(browser, prefix || `${user.username}-tab`, { sameAs: user });
}

/**
 * The page gets the focus a person's window has (document.hasFocus()), as the active tab on screen:
 * headless pages have none of their own.
 */
export async function focusPage(user) {
  await user.page.bringToFront();
  const cdp = await user.context.newCDPSession(user.page);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
  await user.page.evaluate(() => window.dispatchEvent(new Event('focus')));
}

/** Waits until the page says it is connected; returns the SockJS transport in use. */
export async function connected(page) {
  await page.locator('#connection[data-state="open"]').waitFor();
  return page.locator('#connection').getAttribute('data-transport');
}

/**
 * Takes the user's network away and cuts the bridge socket (the user needs controlSockets); the page
 * shows it is reconnecting. restoreConnection gives the network back.
 */
export async function dropConnection(user) {
  await user.context.setOffline(true);
  for (const ws of user.sockets) await ws.close({ code: 1001, reason: 'test cut the connection' }).catch(() => {});
  user.sockets.clear();
  await user.page.locator('#connection[data-state="reconnecting"]').waitFor();
}

/** Refuses the page's bridge (every SockJS transport) and cuts the open socket; the page shows the outage. */
export async function blockBridge(user) {
  user.bridgeBlocked = true;
  for (const ws of user.sockets) await ws.close({ code: 1001, reason: 'test cut the connection' }).catch(() => {});
  user.sockets.clear();
  await user.page.locator('#connection[data-state="reconnecting"]').waitFor();
}

export async function unblockBridge(user) {
  user.bridgeBlocked = false;
}

export async function restoreConnection(user) {
  await user.context.setOffline(false);
  return connected(user.page);
}

/** Opens the "+ New" dialog and fills it in (the caller may pick more, then createConversation submits). */
export async function fillNewConversation(user, title, members) {
  const { page } = user;
  await page.getByRole('button', { name: '+ New' }).click();
  await page.getByRole('dialog', { name: 'New conversation' }).waitFor();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Members (usernames, comma separated)').fill(members.map((m) => m.username).join(', '));
}

export async function createConversation(user, title, members) {
  const { page } = user;
  await fillNewConversation(user, title, members);
  await page.getByRole('button', { name: 'Create conversation' }).click();
  await page.getByRole('dialog', { name: 'New conversation' }).waitFor({ state: 'hidden' });
  await page.locator('#room-title').filter({ hasText: title }).waitFor();
  await roomReady(page);
}

/** Opens a conversation from the list; reloads first so a conversation created by someone else is listed. */
export async function openConversation(user, title, { reload = true } = {}) {
  const { page } = user;
  if (reload) {
    await page.reload();
    await connected(page);
  }
  await page.locator('#conversation-list button', { hasText: title }).click();
  await page.locator('#room-title').filter({ hasText: title }).waitFor();
  await roomReady(page);
}

/** The room is live once it is registered, joined and its history loaded. */
export async function roomReady(page) {
  await page.locator('#room[data-ready="true"]').waitFor();
}

/** Sends a message: Enter, or with ai the "Ask AI" button (asking is per message). */
export async function send(user, text, { ai = false } = {}) {
  const { page } = user;
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  if (ai) await page.getByRole('button', { name: 'Ask AI', exact: true }).click();
  else await box.press('Enter');
  // The box empties once the message is on its way.
  await page.waitForFunction(() => document.getElementById('message-text').value === '');
}

/** The stored message item whose body reads exactly this text (not one still pending). */
export function messageWithText(page, text) {
  return page.locator('#messages li.msg[data-seq]').filter({ has: page.locator('.body').getByText(text, { exact: true }) });
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path });
  log(`screenshot ${path}`);
}

export function noPageErrors(...users) {
  for (const user of users) {
    check(user.pageErrors.length === 0, `${user.username} had page errors: ${user.pageErrors.map((e) => e.message).join('; ')}`);
  }
}

/**
 * Runs the scenario named on the command line from the table {name: async (browser) => ...}; exits 0
 * when it passed, 1 when it failed, 2 for an unknown name.
 */
export async function main(scenarios) {
  const name = process.argv[2];
  if (!scenarios[name]) {
    console.error(`usage: node ${process.argv[1]} <scenario>; scenarios: ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  log(`scenario ${name} against ${BASE_URL}`);
  const browser = await launch();
  let failed = false;
  try {
    await scenarios[name](browser);
    log(`scenario ${name} passed`);
  } catch (error) {
    failed = true;
    console.error(`scenario ${name} FAILED:`, error && error.stack ? error.stack : error);
    for (const [i, user] of opened.entries()) {
      await screenshot(user.page, `${name}-failure-${i + 1}`).catch(() => {});
    }
  } finally {
    await browser.close().catch(() => {});
  }
  process.exit(failed ? 1 : 0);
}

/** A PNG of width x height (a colour gradient), made here so the tests need no fixture file. */
export function gradientPng(width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) {
      rows.set([Math.round((255 * x) / width), Math.round((255 * y) / height), 200], row + 1 + x * 3);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
