// Browser scenarios for the page people would choose (issue 18): Markdown answers, scroll pinning, asking
// per message, the outage banner and queued sends, empty states. Run by ChatPageFeaturesBrowserIT.
// By hand: CHORUS_URL=... node page-features.mjs <name>
import {
  main, newUser, createConversation, openConversation, send, messageWithText, screenshot, check, log,
  noPageErrors, uniqueName, roomReady, blockBridge, unblockBridge, connected, anotherTab, focusPage,
  gradientPng,
} from './lib.mjs';

/** Sends messages over the HTTP API from the page's own session (fast: no typing). */
async function postMessages(page, texts) {
  await page.evaluate(async (all) => {
    const { token } = JSON.parse(sessionStorage.getItem('chorus.account'));
    const id = JSON.parse(sessionStorage.getItem('chorus.conversation'));
    for (const [i, text] of all.entries()) {
      const response = await fetch(`/api/conversations/${id}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text, clientMsgId: `bulk-${Date.now()}-${i}` }),
      });
      if (response.status !== 201) throw new Error(`send ${i}: ${response.status}`);
    }
  }, texts);
}

const atEnd = (page) => page.waitForFunction(() => {
  const s = document.getElementById('scroller');
  return s.scrollHeight - s.scrollTop - s.clientHeight < 2;
});

/** Every message's role, in order (user / assistant; notices left out), for the page as it is now. */
const roles = (page) => page.locator('#messages li.msg[data-seq]:not(.notice)').evaluateAll((items) => items.map((li) => li.dataset.role));

/** A Markdown message with a hostile payload in it, as a person could type it. */
const HOSTILE = [
  '**Bold** and `inline code`, a [safe link](https://example.com/docs) and a [bad link](javascript:window.__pwned=1).',
  '',
  '<img src=x onerror="window.__pwned=2"> <b>not bold</b>',
  '',
  '```js',
  'function answer() {',
  '    return 42; // four spaces kept',
  '}',
  '<script>window.__pwned = 3</script>',
  '```',
].join('\n');

/** A file put into the page (for a drop or a paste event), as a DataTransfer handle. */
function fileTransfer(page, name, type, buffer) {
  return page.evaluateHandle(({ name, type, bytes }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
    return transfer;
  }, { name, type, bytes: [...buffer] });
}

/** The top bar holds on one line: nothing wraps below or runs past its width. */
async function topBarOnOneLine(page) {
  const bar = await page.locator('.topbar').evaluate((node) => {
    const tops = [...node.children].filter((c) => c.offsetParent !== null).map((c) => c.getBoundingClientRect());
    return {
      overflow: node.scrollWidth - node.clientWidth,
      oneLine: tops.every((r) => r.top < tops[0].bottom && r.bottom > tops[0].top),
    };
  });
  check(bar.overflow <= 0 && bar.oneLine, `the top bar stays on one line: ${JSON.stringify(bar)}`);
}

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** One picture of the page at desktop and at phone width (states/<name>-desktop.png, -phone.png). */
async function bothWidths(page, name, { phoneRoom = true } = {}) {
  await page.setViewportSize(DESKTOP);
  await screenshot(page, `states/${name}-desktop`);
  await page.setViewportSize(PHONE);
  if (phoneRoom) await topBarOnOneLine(page);
  const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(wider <= 0, `${name}: nothing runs past the phone's width (${wider} px)`);
  await screenshot(page, `states/${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

const scenarios = {
  /**
   * A message and a streamed answer show as Markdown for both users: bold, inline code, a link that opens in
   * a new tab without an opener, a highlighted code block that keeps its whitespace and copies exactly. HTML
   * inside the Markdown shows as text and never runs; a javascript: link is no link.
   */
  async 'markdown-renders-safely'(browser) {
    const alice = await newUser(browser, 'alice', { clipboard: true });
    const bob = await newUser(browser, 'bob');
    const title = `Markdown ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    await send(alice, HOSTILE);
    for (const user of [alice, bob]) {
      const item = user.page.locator('#messages li.msg[data-seq]').first();
      await item.locator('strong', { hasText: 'Bold' }).waitFor();
      await item.locator('code', { hasText: 'inline code' }).waitFor();
      const link = item.getByRole('link', { name: 'safe link' });
      check(await link.getAttribute('href') === 'https://example.com/docs', 'the link keeps its address');
      check(await link.getAttribute('target') === '_blank', 'the link opens in a new tab');
      check(await link.getAttribute('rel') === 'noopener noreferrer', 'the link gives the new tab no opener');
      check(await item.locator('a[href^="javascript"], [onerror], script, img').count() === 0,
        `${user.username}: no script, handler, javascript: link or image became an element`);
      await item.getByText('<img src=x onerror="window.__pwned=2"> <b>not bold</b>', { exact: true }).waitFor();
      const code = item.locator('.code-block pre code');
      const codeText = await code.textContent();
      check(codeText.includes('    return 42; // four spaces kept'), `whitespace kept: ${JSON.stringify(codeText)}`);
      check(codeText.includes('<script>window.__pwned = 3</script>'), 'the script in the fence is text');
      check(await code.locator('span[class^="hljs-"]').count() > 0, 'the code is highlighted');
      check(await user.page.evaluate(() => window.__pwned === undefined), `${user.username}: nothing ran`);
    }
    // Copy gives the code exactly as written.
    await alice.page.bringToFront(); // the clipboard is the focused page's
    const block = alice.page.locator('#messages .code-block').first();
    await block.getByRole('button', { name: 'Copy code' }).click();
    await block.getByRole('button', { name: 'Copy code' }).filter({ hasText: 'Copied' }).waitFor();
    const copied = await alice.page.evaluate(() => navigator.clipboard.readText());
    check(copied === 'function answer() {\n    return 42; // four spaces kept\n}\n<script>window.__pwned = 3</script>',
      `copied ${JSON.stringify(copied)}`);
    // A message's own Copy gives what was written, Markdown and all.
    await alice.page.locator('#messages li.msg[data-seq]').first().locator('.actions').getByRole('button', { name: 'Copy' }).click();
    await alice.page.locator('#messages li.msg[data-seq]').first().locator('.actions').getByRole('button', { name: 'Copied' }).waitFor();
    check(await alice.page.evaluate(() => navigator.clipboard.readText()) === HOSTILE, 'the message copies as written');

    // The model answers in Markdown; the answer renders as it grows, into the same node, and ends rendered.
    await send(alice, 'Show me some code.', { ai: true });
    const growing = await alice.page.waitForFunction(() => {
      const body = document.querySelector('#messages li.msg.assistant[data-state="streaming"] .body');
      if (!body || !body.textContent) return null;
      window.__answerBody = body;
      return body.textContent;
    });
    log('partial answer:', JSON.stringify(await growing.jsonValue()));
    for (const user of [alice, bob]) {
      const done = user.page.locator('#messages li.msg.assistant[data-state="done"]');
      await done.waitFor();
      await done.locator('strong', { hasText: 'Here' }).waitFor();
      await done.locator('.code-block pre code', { hasText: "print('hi')" }).waitFor();
      check(await done.locator('img, script, [onerror]').count() === 0, 'the answer\'s HTML stays text');
      await done.getByText('<img src=y onerror=window.__pwned=4>', { exact: true }).waitFor();
      check(await user.page.evaluate(() => window.__pwned === undefined), `${user.username}: the answer ran nothing`);
    }
    check(await alice.page.evaluate(() => window.__answerBody
      === document.querySelector('#messages li.msg.assistant[data-state="done"] .body')), 'the answer rendered into the same node');
    for (const user of [alice, bob]) check(user.dialogs.length === 0, `${user.username} saw dialogs: ${user.dialogs}`);
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'markdown');
  },

  /**
   * The list stays at its end while the reader is there, also when an image loads after its message; a
   * reader who scrolled up stays put and gets a "New messages" button that brings them to the end.
   */
  async 'scroll-stays-pinned'(browser) {
    const alice = await newUser(browser, 'alice', { viewport: { width: 1000, height: 640 } });
    const bob = await newUser(browser, 'bob');
    const title = `Scrolling ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await postMessages(bob.page, Array.from({ length: 30 }, (_, i) => `filler line ${i + 1}`));
    await messageWithText(alice.page, 'filler line 30').waitFor();
    await atEnd(alice.page);

    // A tall image: its message arrives first, its bytes later; the view follows it to the end.
    await bob.page.locator('#file-input').setInputFiles({ name: 'tall.png', mimeType: 'image/png', buffer: gradientPng(120, 600) });
    await bob.page.getByLabel('Message', { exact: true }).fill('a *tall* picture');
    await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
    await alice.page.waitForFunction(() => {
      const img = document.querySelector('#messages img.inline-image[alt="tall.png"]');
      return img && img.complete && img.naturalHeight === 600;
    });
    await alice.page.locator('#messages li.msg .file-text em', { hasText: 'tall' }).waitFor();
    await atEnd(alice.page);
    check(await alice.page.locator('#new-messages').isHidden(), 'no "New messages" while at the end');

    // Scrolled up: a new message leaves the view where it is and shows the button.
    await alice.page.locator('#scroller').evaluate((s) => { s.scrollTop = 0; });
    await alice.page.waitForFunction(() => document.getElementById('scroller').scrollTop === 0);
    await send(bob, 'are you still there?');
    await messageWithText(alice.page, 'are you still there?').waitFor({ state: 'attached' });
    const jump = alice.page.getByRole('button', { name: 'New messages \u2193' });
    await jump.waitFor();
    check(await alice.page.locator('#scroller').evaluate((s) => s.scrollTop) === 0, 'the reader stays where they were');
    await screenshot(alice.page, 'new-messages-button');
    await jump.click();
    await atEnd(alice.page);
    await jump.waitFor({ state: 'hidden' });
    noPageErrors(alice, bob);
  },

  /**
   * Asking is per message: "Ask AI" asks once, Enter after it does not, and "@assistant " at the start asks
   * too (the prefix itself is not stored).
   */
  async 'ask-is-per-message'(browser) {
    const alice = await newUser(browser, 'alice');
    const title = `Asking ${uniqueName('t')}`;
    await createConversation(alice, title, []);
    const { page } = alice;
    await send(alice, 'first question', { ai: true });
    await page.locator('#messages li.msg.assistant[data-state="done"]').waitFor();
    await send(alice, 'just a remark');
    await messageWithText(page, 'just a remark').waitFor();
    await send(alice, '@assistant second question');
    await messageWithText(page, 'second question').waitFor();
    await page.locator('#messages li.msg.assistant[data-state="done"]').nth(1).waitFor();
    const order = await roles(page);
    check(JSON.stringify(order) === JSON.stringify(['user', 'assistant', 'user', 'user', 'assistant']),
      `only the asked messages got answers: ${order}`);
    noPageErrors(alice);
  },

  /**
   * While the bridge is down the page says so with a countdown that counts; messages written meanwhile show
   * as pending (also after a reload) and go out on reconnect with their clientMsgId, so one whose first
   * attempt did reach the server (its reply lost) is stored once.
   */
  async 'outage-queues-and-sends-once'(browser) {
    const alice = await newUser(browser, 'alice', { controlSockets: true });
    const bob = await newUser(browser, 'bob');
    const title = `Outage ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await send(alice, 'before the outage');
    await messageWithText(bob.page, 'before the outage').waitFor();

    // The first send over HTTP reaches the server but its reply is lost; later ones do not get through.
    let lostReplies = 0;
    await alice.context.route(/\/api\/conversations\/[^/]+\/messages$/, async (route) => {
      if (!alice.bridgeBlocked || route.request().method() !== 'POST') return route.continue();
      if (lostReplies === 0) {
        lostReplies += 1;
        const response = await route.fetch();
        log(`the server answered ${response.status()}; the page never hears it`);
      }
      return route.abort('connectionreset');
    });
    await blockBridge(alice);
    const banner = alice.page.locator('#outage');
    await banner.waitFor();
    // The countdown counts: some second N >= 2 is followed by N - 1 within the same wait.
    await alice.page.waitForFunction(() => {
      const seconds = document.getElementById('outage').dataset.seconds;
      const seen = (window.__countdown = window.__countdown || []);
      if (seconds !== undefined && seen[seen.length - 1] !== Number(seconds)) seen.push(Number(seconds));
      return seen.some((n, i) => n >= 2 && seen[i + 1] === n - 1);
    }, null, { polling: 100, timeout: 30000 });
    log('countdown seen:', JSON.stringify(await alice.page.evaluate(() => window.__countdown)));

    await send(alice, 'written in the outage');
    await send(alice, 'also written in the outage');
    await alice.page.locator('#messages li.msg.pending[data-state="queued"]').nth(1).waitFor();
    check(lostReplies === 1, 'the first attempt reached the server');
    await messageWithText(bob.page, 'written in the outage').waitFor(); // stored by that first attempt
    await bothWidths(alice.page, 'outage-queued');

    // A reload in the outage keeps them: shown again as pending, still to be sent.
    await alice.page.reload();
    await alice.page.locator('#room-title', { hasText: title }).waitFor();
    await alice.page.locator('#messages li.msg.pending[data-state="queued"]').nth(1).waitFor();
    check(await alice.page.locator('#messages li.msg.pending .body').allTextContents().then((b) => JSON.stringify(b))
      === JSON.stringify(['written in the outage', 'also written in the outage']), 'both still pending after the reload');

    await unblockBridge(alice);
    // Skip the rest of the wait when an attempt is scheduled (the button shows only then).
    await alice.page.getByRole('button', { name: 'Reconnect now' }).click({ timeout: 1000 }).catch(() => {});
    await connected(alice.page);
    await banner.waitFor({ state: 'hidden' });
    await messageWithText(bob.page, 'also written in the outage').waitFor();
    await alice.page.locator('#messages li.msg.pending').waitFor({ state: 'detached' });
    const expected = ['before the outage', 'written in the outage', 'also written in the outage'];
    for (const user of [alice, bob]) {
      const bodies = await user.page.locator('#messages li.msg .body').allTextContents();
      check(JSON.stringify(bodies) === JSON.stringify(expected), `${user.username} sees each once: ${JSON.stringify(bodies)}`);
    }
    // What the server kept: a reload shows the same, once each.
    await bob.page.reload();
    await connected(bob.page);
    await roomReady(bob.page);
    await messageWithText(bob.page, 'also written in the outage').waitFor();
    const stored = await bob.page.locator('#messages li.msg .body').allTextContents();
    check(JSON.stringify(stored) === JSON.stringify(expected), `stored once each: ${JSON.stringify(stored)}`);
    noPageErrors(alice, bob);
  },

  /**
   * Empty states: nothing open says "Pick or start a conversation"; a new one says "No messages yet". Then
   * the date separator over the day's messages.
   */
  async 'empty-states'(browser) {
    const alice = await newUser(browser, 'alice');
    const { page } = alice;
    await page.getByText('Pick or start a conversation').waitFor();
    await page.getByText('No conversations yet').waitFor();
    await createConversation(alice, `Empty ${uniqueName('t')}`, []);
    await page.getByText('No messages yet').waitFor();
    check(await page.getByText('Pick or start a conversation').isHidden(), 'a conversation is open');
    await send(alice, 'hello');
    await page.getByText('No messages yet').waitFor({ state: 'hidden' });
    // Messages of one day sit under one date separator.
    await send(alice, 'hello again');
    await messageWithText(page, 'hello again').waitFor();
    const separators = await page.locator('#messages li.date-separator').allTextContents();
    check(JSON.stringify(separators) === JSON.stringify(['Today']), `one separator for today: ${JSON.stringify(separators)}`);
    noPageErrors(alice);
  },

  /**
   * Unread counts: each tab of a member lists the conversation with its count of unread messages, live, and
   * the tab title the total; when one tab shows the messages (focused, at the end) the other tab's count
   * clears at once, and stays cleared after a reload (the server keeps the read marker).
   */
  async 'unread-counts-live-and-cleared-in-another-tab'(browser) {
    const bob = await newUser(browser, 'bob');
    const alice = await newUser(browser, 'alice');
    const aliceAgain = await anotherTab(browser, alice, 'alice2');
    const title = `Unread ${uniqueName('t')}`;
    await createConversation(bob, title, [alice]);
    const entry = (user) => user.page.locator('#conversation-list button', { hasText: title });
    for (const tab of [alice, aliceAgain]) await entry(tab).waitFor();

    await send(bob, 'first unread');
    await send(bob, 'second **unread**');
    await send(bob, 'third unread');
    for (const tab of [alice, aliceAgain]) {
      await entry(tab).locator('.unread', { hasText: /^3$/ }).waitFor();
      await entry(tab).locator('.preview', { hasText: `${bob.username}: third unread` }).waitFor();
      await tab.page.waitForFunction(() => document.title === '(3) Chorus');
    }
    await screenshot(alice.page, 'unread-counts');

    // The second tab shows them: the first tab's count clears, live.
    await focusPage(aliceAgain);
    await openConversation(aliceAgain, title, { reload: false });
    await messageWithText(aliceAgain.page, 'third unread').waitFor();
    await entry(aliceAgain).locator('.unread').waitFor({ state: 'detached' });
    await entry(alice).locator('.unread').waitFor({ state: 'detached' });
    await alice.page.waitForFunction(() => document.title === 'Chorus');

    // Kept by the server: a reload shows none, and the next message counts one.
    await alice.page.reload();
    await connected(alice.page);
    await entry(alice).waitFor();
    check(await entry(alice).locator('.unread').count() === 0, 'still read after a reload');
    await send(bob, 'fourth');
    await entry(alice).locator('.unread', { hasText: /^1$/ }).waitFor();
    await alice.page.waitForFunction(() => document.title === '(1) Chorus');
    noPageErrors(alice, aliceAgain, bob);
  },

  /**
   * Regenerate asks again for the same question: a second answer comes as a new message, for everyone, and
   * the first one stays. A stopped answer says who stopped it.
   */
  async 'regenerate-and-stopped-by'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Again ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await send(alice, 'Name a colour.', { ai: true });
    const answers = (user) => user.page.locator('#messages li.msg.assistant[data-seq]');
    await answers(alice).first().locator('.body', { hasText: /\S/ }).waitFor();
    await answers(alice).first().and(alice.page.locator('[data-state="done"]')).waitFor();
    await answers(bob).first().and(bob.page.locator('[data-state="done"]')).waitFor();

    await answers(bob).first().getByRole('button', { name: 'Regenerate' }).click();
    for (const user of [alice, bob]) {
      await answers(user).nth(1).and(user.page.locator('[data-state="done"]')).waitFor();
      const order = await roles(user.page);
      check(JSON.stringify(order) === JSON.stringify(['user', 'assistant', 'assistant']), `${user.username}: ${order}`);
    }

    // Stopped by bob: both see who stopped it.
    await send(alice, 'Tell me a long story.', { ai: true });
    await alice.page.locator('#messages li.msg.assistant[data-state="streaming"]').waitFor();
    await bob.page.locator('#messages li.msg.assistant[data-state="streaming"]').waitFor();
    await bob.page.getByRole('button', { name: 'Stop answer' }).click();
    for (const user of [alice, bob]) {
      await user.page.locator('#messages li.msg.assistant[data-state="cancelled"] .note', { hasText: `Stopped by ${bob.username}` }).waitFor();
    }
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'regenerate-and-stopped-by');
  },

  /**
   * "Assistant answers every message", switched on in the header, makes every message a question (for a
   * one-to-one AI chat); the "Ask AI" button then has nothing to add and goes. Kept by the server.
   */
  async 'assistant-answers-every-message'(browser) {
    const alice = await newUser(browser, 'alice');
    const title = `Just me and the bot ${uniqueName('t')}`;
    await createConversation(alice, title, []);
    const { page } = alice;
    const toggle = page.getByLabel('Assistant answers every message');
    await toggle.check();
    await page.getByRole('button', { name: 'Ask AI', exact: true }).waitFor({ state: 'hidden' });
    await page.locator('#messages li.msg.notice', { hasText: `${alice.username} set the assistant to answer every message` }).waitFor();
    await send(alice, 'plain question one');
    await page.locator('#messages li.msg.assistant[data-state="done"]').waitFor();
    await page.reload();
    await connected(page);
    await roomReady(page);
    check(await page.getByLabel('Assistant answers every message').isChecked(), 'the setting is kept');
    await send(alice, 'plain question two');
    await page.locator('#messages li.msg.assistant[data-state="done"]').nth(1).waitFor();
    check(JSON.stringify(await roles(page)) === JSON.stringify(['user', 'assistant', 'user', 'assistant']), 'each answered once');
    noPageErrors(alice);
  },

  /**
   * A file dropped on the conversation or pasted into the box waits above it; the text written with it is
   * its caption, and the other member sees both.
   */
  async 'drop-and-paste-upload-with-caption'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Dropping ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    const { page } = alice;

    const dropped = await fileTransfer(page, 'dropped.png', 'image/png', gradientPng(40, 30));
    await page.dispatchEvent('#room', 'dragover', { dataTransfer: dropped });
    await page.dispatchEvent('#room', 'drop', { dataTransfer: dropped });
    await page.locator('#attachment', { hasText: 'dropped.png' }).waitFor();
    await page.getByLabel('Message', { exact: true }).fill('the **dropped** one');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const droppedItem = bob.page.locator('#messages li.msg', { has: bob.page.locator('img.inline-image[alt="dropped.png"]') });
    await droppedItem.locator('.file-text strong', { hasText: 'dropped' }).waitFor();
    await page.locator('#attachment').waitFor({ state: 'hidden' });

    const pasted = await fileTransfer(page, 'pasted.txt', 'text/plain', Buffer.from('pasted bytes\n'));
    await page.locator('#message-text').evaluate((box, transfer) => {
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    }, pasted);
    await page.locator('#attachment', { hasText: 'pasted.txt' }).waitFor();
    await page.getByLabel('Message', { exact: true }).fill('and a pasted note');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    const pastedItem = bob.page.locator('#messages li.msg', { has: bob.page.getByRole('link', { name: 'Download pasted.txt' }) });
    await pastedItem.getByText('and a pasted note', { exact: true }).waitFor();
    noPageErrors(alice, bob);
  },

  /**
   * One picture per main state at desktop (1280x800) and phone (390x844) width, light and dark, into
   * SCREENSHOT_DIR/states/ (docs/screenshots/ holds a copy). The top bar stays on one line at phone width.
   */
  async 'screenshots'(browser) {
    const signIn = await browser.newContext({ viewport: DESKTOP });
    const signInPage = await signIn.newPage();
    await signInPage.goto(`${process.env.CHORUS_URL || 'http://127.0.0.1:8080'}/`);
    await signInPage.getByRole('button', { name: 'Log in' }).waitFor();
    await bothWidths(signInPage, 'sign-in', { phoneRoom: false });
    await signIn.close();

    const alice = await newUser(browser, 'alice', { viewport: DESKTOP });
    const bob = await newUser(browser, 'bob');
    const { page } = alice;
    await focusPage(alice); // as the window on screen: what it shows counts as read
    await page.getByText('Pick or start a conversation').waitFor();
    await bothWidths(page, 'no-conversation');

    await page.getByRole('button', { name: '+ New' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Trip to Oslo');
    await page.getByLabel('Members (usernames, comma separated)').fill(bob.username);
    await bothWidths(page, 'new-conversation-dialog', { phoneRoom: false });
    await page.getByRole('button', { name: 'Create conversation' }).click();
    await roomReady(page);
    await page.getByText('No messages yet').waitFor();
    await bothWidths(page, 'no-messages-yet');

    await openConversation(bob, 'Trip to Oslo');
    await send(bob, 'Shall we take the **night train**? It leaves at 21:05.');
    await send(alice, 'Write me a packing script', { ai: true });
    await page.locator('#messages li.msg.assistant[data-state="done"] .code-block').waitFor();
    await bothWidths(page, 'conversation-with-answer');

    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    check(background === 'rgb(15, 18, 23)', `dark mode follows prefers-color-scheme: ${background}`);
    await bothWidths(page, 'conversation-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await page.locator('#conversation-list').waitFor();
    await topBarOnOneLine(page);
    await screenshot(page, 'states/conversation-list-phone');
    await page.setViewportSize(DESKTOP);
    noPageErrors(alice, bob);
  },
};

await main(scenarios);
