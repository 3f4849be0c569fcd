// Browser scenarios for Stop, answers resumed after a reload, file uploads and presence, run by
// ChatPageBrowserIT. By hand: CHORUS_URL=... EXPECTED_ANSWER=... node stop-resume-files.mjs <name>
import { readFileSync } from 'node:fs';
import {
  main, newUser, createConversation, openConversation, send, messageWithText, screenshot, check, log,
  connected, noPageErrors, uniqueName, roomReady,
  gradientPng,
} from './lib.mjs';

// The scripted answer; it must stream slowly enough (for example 30 deltas 100 ms apart) to act mid-answer.
const EXPECTED_ANSWER = process.env.EXPECTED_ANSWER;

/** Waits in the page until the answer streams and shows part of its text; returns that text. */
async function partialAnswer(page) {
  const handle = await page.waitForFunction((expected) => {
    const item = document.querySelector('#messages li.msg.assistant[data-state="streaming"]');
    const text = item && item.querySelector('.body').textContent;
    if (!text || (expected && (text === expected || !expected.startsWith(text)))) return null;
    return text;
  }, EXPECTED_ANSWER || null);
  return handle.jsonValue();
}

const PNG = gradientPng(48, 32);

const scenarios = {
  /** Stop ends the answer with finishReason "cancelled", keeping the partial text for everyone. */
  async 'stop-keeps-partial-text'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Stop it ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    await send(alice, 'Tell me a long story.', { ai: true });
    log('partial before stop:', JSON.stringify(await partialAnswer(alice.page)));
    await alice.page.getByRole('button', { name: 'Stop answer' }).click();

    const stopped = alice.page.locator('#messages li.msg.assistant[data-state="cancelled"]');
    await stopped.waitFor();
    await stopped.locator('.note', { hasText: 'Stopped' }).waitFor();
    const kept = await stopped.locator('.body').textContent();
    check(kept.length > 0, 'the stopped answer keeps its text');
    if (EXPECTED_ANSWER) check(kept !== EXPECTED_ANSWER && EXPECTED_ANSWER.startsWith(kept), `kept ${JSON.stringify(kept)}`);
    await alice.page.getByRole('button', { name: 'Stop answer' }).waitFor({ state: 'hidden' });

    const bobSees = bob.page.locator('#messages li.msg.assistant[data-state="cancelled"]');
    await bobSees.waitFor();
    check(await bobSees.locator('.body').textContent() === kept, 'bob sees the same kept text');

    // It is stored: a reload shows the same text, still marked stopped.
    await alice.page.reload();
    await connected(alice.page);
    await roomReady(alice.page);
    await alice.page.locator('#messages li.msg.assistant[data-state="cancelled"] .body').getByText(kept, { exact: true }).waitFor();
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'stop-keeps-partial-text');
  },

  /** A reload in the middle of an answer shows the text so far, then the rest, exactly once. */
  async 'reload-resumes-answer'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Resume ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    await send(alice, 'Tell me a long story.', { ai: true });
    log('partial before reload:', JSON.stringify(await partialAnswer(alice.page)));
    await alice.page.reload();
    // Same tab: the token and the open conversation come back from session storage, not from the URL.
    check(!alice.page.url().includes('token'), 'no token in the page URL');
    await connected(alice.page);
    log('partial after reload:', JSON.stringify(await partialAnswer(alice.page)));

    for (const user of [alice, bob]) {
      const done = user.page.locator('#messages li.msg.assistant[data-state="done"]');
      await done.waitFor();
      const text = await done.locator('.body').textContent();
      if (EXPECTED_ANSWER) check(text === EXPECTED_ANSWER, `${user.username}: ${JSON.stringify(text)}`);
      check(await user.page.locator('#messages li.msg.assistant').count() === 1, 'one answer, no leftover stream');
    }
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'reload-resumes-answer');
  },

  /** An uploaded image shows inline for the other member; another file is a download link. */
  async 'uploaded-image-shows-for-the-other-user'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Photos ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    await alice.page.locator('#file-input').setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PNG });
    await alice.page.locator('#attachment', { hasText: 'pixel.png' }).waitFor();
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    for (const user of [alice, bob]) {
      const img = user.page.locator('#messages li.msg img.inline-image[alt="pixel.png"]');
      await img.waitFor();
      await user.page.waitForFunction(() => {
        const el = document.querySelector('#messages img.inline-image[alt="pixel.png"]');
        return el && el.src.startsWith('blob:') && el.complete && el.naturalWidth === 48 && el.naturalHeight === 32;
      });
      await user.page.locator('#messages li.msg .author', { hasText: alice.username }).first().waitFor();
    }
    await alice.page.locator('#upload').waitFor({ state: 'hidden' });

    const notes = 'line one\nline two <b>not bold</b>\n';
    await alice.page.locator('#file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(notes) });
    await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
    const link = bob.page.getByRole('link', { name: 'Download notes.txt' });
    await link.waitFor();
    const [download] = await Promise.all([bob.page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    check(readFileSync(path, 'utf8') === notes, 'the downloaded file has the uploaded bytes');
    check(download.suggestedFilename() === 'notes.txt', `download named ${download.suggestedFilename()}`);
    noPageErrors(alice, bob);
    await screenshot(bob.page, 'uploaded-image-other-user');
  },

  /** Who is online: bob shows online while his page is open, offline after he closes it. */
  async 'presence-shows-who-is-online'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Presence ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await alice.page.locator('.people summary').click();
    await alice.page.locator(`#members li[data-online="true"]`, { hasText: bob.username }).waitFor();
    await bob.context.close();
    await alice.page.locator(`#members li[data-online="false"]`, { hasText: bob.username }).waitFor();
    noPageErrors(alice);
    await screenshot(alice.page, 'presence');
  },
};

await main(scenarios);
