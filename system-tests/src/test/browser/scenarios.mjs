// The chat page's browser scenarios that the backend supports today. Each runs alone:
//   CHORUS_URL=http://127.0.0.1:8080 node scenarios.mjs <name>
// ChatPageBrowserIT runs every one against a fresh two-node cluster and scripts the fake model first.
import {
  main, newUser, createConversation, openConversation, send, messageWithText, screenshot, check, log,
  connected, noPageErrors, uniqueName, dropConnection, restoreConnection, roomReady,
} from './lib.mjs';

const EXPECTED_ANSWER = process.env.EXPECTED_ANSWER; // the fake model's scripted answer, when the IT set one

const scenarios = {
  /** Two users in two browser contexts: each sees the other's message, live. */
  async 'two-users-chat'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Lunch ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    await send(alice, 'Noon at the usual place?');
    await messageWithText(bob.page, 'Noon at the usual place?').waitFor();

    // Bob types (alice sees it), Shift+Enter makes a new line, Enter sends.
    const box = bob.page.getByLabel('Message', { exact: true });
    await box.pressSequentially('Yes!');
    await alice.page.locator('#typing', { hasText: `${bob.username} is typing` }).waitFor();
    await box.press('Shift+Enter');
    await box.pressSequentially('See you there.');
    await box.press('Enter');
    await messageWithText(alice.page, 'Yes!\nSee you there.').waitFor();
    await alice.page.locator('#typing').filter({ hasText: /^$/ }).waitFor({ state: 'attached' });

    // Each sees both messages, in the same (seq) order, with the author's name.
    for (const user of [alice, bob]) {
      const bodies = await user.page.locator('#messages li.msg .body').allTextContents();
      check(JSON.stringify(bodies) === JSON.stringify(['Noon at the usual place?', 'Yes!\nSee you there.']),
        `${user.username} sees ${JSON.stringify(bodies)}`);
    }
    await messageWithText(bob.page, 'Noon at the usual place?').locator('.author', { hasText: alice.username }).waitFor();
    await alice.page.locator('.people summary').click();
    await alice.page.locator('#members li[data-online="true"]', { hasText: alice.username }).waitFor();
    await alice.page.locator('#members li', { hasText: bob.username }).waitFor();
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'two-users-chat-alice');
    await screenshot(bob.page, 'two-users-chat-bob');

    // The same page at phone width.
    await bob.page.setViewportSize({ width: 360, height: 720 });
    await messageWithText(bob.page, 'Yes!\nSee you there.').waitFor();
    await screenshot(bob.page, 'two-users-chat-phone');
  },

  /** An AI answer shows growing partial text while it streams, then its complete text. */
  async 'ai-answer-streams'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Ask the bot ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    await send(alice, 'Tell me a short story.', { ai: true });
    await messageWithText(alice.page, 'Tell me a short story.').waitFor();

    // Both pages watched at once (the answer takes about a second and a half): atomically in each page, the
    // answer is still streaming and shows some, not all, of its text.
    const partials = [alice, bob].map((user) => user.page.waitForFunction((expected) => {
      const item = document.querySelector('#messages li.msg.assistant[data-state="streaming"]');
      const text = item && item.querySelector('.body').textContent;
      if (!text) return null;
      if (expected && (text === expected || !expected.startsWith(text))) return null;
      return text;
    }, EXPECTED_ANSWER || null));
    const stopShown = partials[0].then(() => alice.page.getByRole('button', { name: 'Stop answer' }).isVisible());
    const [aliceSaw, bobSaw] = await Promise.all(partials);
    log(`${alice.username} saw partial answer: ${JSON.stringify(await aliceSaw.jsonValue())}`);
    log(`${bob.username} saw partial answer: ${JSON.stringify(await bobSaw.jsonValue())}`);
    await check(await stopShown, 'Stop shows while streaming');
    for (const user of [alice, bob]) {
      const done = user.page.locator('#messages li.msg.assistant[data-state="done"]');
      await done.waitFor();
      const text = await done.locator('.body').textContent();
      if (EXPECTED_ANSWER) check(text === EXPECTED_ANSWER, `complete answer ${JSON.stringify(text)}`);
      check(text.length > 0, 'the complete answer has text');
      await user.page.getByRole('button', { name: 'Stop answer' }).waitFor({ state: 'hidden' });
    }
    await send(bob, 'Nice one, thanks!');
    await messageWithText(alice.page, 'Nice one, thanks!').waitFor();
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'ai-answer-complete');
  },

  /** Markup typed as a message is shown as those characters, in both views, and never runs. */
  async 'html-is-shown-as-text'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = '<b>bold?</b><img src=x onerror=alert(2)>';
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);

    const payload = '<img src=x onerror=alert(1)>';
    await send(alice, payload);
    for (const user of [alice, bob]) {
      await messageWithText(user.page, payload).waitFor();
      await user.page.locator('#room-title').getByText(title, { exact: true }).waitFor();
      await user.page.locator('#conversation-list').getByText(title, { exact: true }).waitFor();
      const images = await user.page.locator('#messages img, #room-title *, #conversation-list img, #conversation-list b').count();
      check(images === 0, `${user.username}: markup became elements (${images})`);
    }
    // A later message proves the pages went on processing events after the payload.
    await send(bob, 'after the payload');
    await messageWithText(alice.page, 'after the payload').waitFor();
    for (const user of [alice, bob]) {
      check(user.dialogs.length === 0, `${user.username} saw dialogs: ${user.dialogs.join(', ')}`);
    }
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'html-is-shown-as-text');
  },

  /** The owner invites a member by name; the newcomer reads the history, paging back with "Load older". */
  async 'invite-and-older-history'(browser) {
    const alice = await newUser(browser, 'alice');
    const title = `Archive ${uniqueName('t')}`;
    await createConversation(alice, title, []);
    // 55 messages over the HTTP API, from the page's own session.
    await alice.page.evaluate(async () => {
      const { token } = JSON.parse(sessionStorage.getItem('chorus.account'));
      const id = JSON.parse(sessionStorage.getItem('chorus.conversation'));
      for (let i = 1; i <= 55; i++) {
        const response = await fetch(`/api/conversations/${id}/messages`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: `archived message ${i}`, clientMsgId: `archive-${i}` }),
        });
        if (response.status !== 201) throw new Error(`send ${i}: ${response.status}`);
      }
    });
    await messageWithText(alice.page, 'archived message 55').waitFor();

    const carol = await newUser(browser, 'carol');
    await alice.page.locator('.people summary').click();
    await alice.page.getByLabel('Invite by username').fill(carol.username);
    await alice.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await alice.page.locator('#members li', { hasText: carol.username }).waitFor();

    await openConversation(carol, title);
    await messageWithText(carol.page, 'archived message 55').waitFor();
    check(await carol.page.locator('#messages li.msg').count() === 50, 'the latest 50 first');
    await carol.page.getByRole('button', { name: 'Load older messages' }).click();
    await messageWithText(carol.page, 'archived message 1').waitFor();
    await carol.page.getByRole('button', { name: 'Load older messages' }).waitFor({ state: 'hidden' });
    const bodies = await carol.page.locator('#messages li.msg .body').allTextContents();
    check(bodies.length === 55 && bodies.every((b, i) => b === `archived message ${i + 1}`), `carol sees ${bodies.length} in order`);

    // The invite form is the owner's only.
    check(await carol.page.locator('#invite-form').isHidden(), 'no invite form for a member');
    noPageErrors(alice, carol);
    await screenshot(carol.page, 'invite-and-older-history');
  },

  /** After a lost connection the page reconnects and shows what it missed, once each and in order. */
  async 'reconnect-catches-up'(browser) {
    const alice = await newUser(browser, 'alice', { controlSockets: true });
    const bob = await newUser(browser, 'bob');
    const title = `Flaky train wifi ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await send(bob, 'before the tunnel');
    await messageWithText(alice.page, 'before the tunnel').waitFor();

    await dropConnection(alice);
    await screenshot(alice.page, 'reconnect-offline');
    await send(bob, 'said in the tunnel');
    await send(bob, 'also said in the tunnel');
    await restoreConnection(alice);
    await roomReady(alice.page);

    await messageWithText(alice.page, 'also said in the tunnel').waitFor();
    await send(bob, 'after the tunnel');
    await messageWithText(alice.page, 'after the tunnel').waitFor();
    const bodies = await alice.page.locator('#messages li.msg .body').allTextContents();
    check(JSON.stringify(bodies) === JSON.stringify(
      ['before the tunnel', 'said in the tunnel', 'also said in the tunnel', 'after the tunnel']),
    `alice sees ${JSON.stringify(bodies)}`);
    const seqs = await alice.page.locator('#messages li.msg').evaluateAll((items) => items.map((li) => Number(li.dataset.seq)));
    check(JSON.stringify(seqs) === JSON.stringify([1, 2, 3, 4]), `seqs in order without gaps: ${seqs}`);
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'reconnect-caught-up');
  },

  /** A member leaves: the others see it in the timeline, and the conversation goes from the leaver's list. */
  async 'leave-conversation'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Short stay ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await send(alice, 'welcome, bob');
    await messageWithText(bob.page, 'welcome, bob').waitFor();

    await bob.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await bob.page.getByRole('button', { name: 'Yes, leave' }).click();
    await messageWithText(alice.page, `${bob.username} left the conversation`).waitFor();
    await alice.page.locator('#online-count', { hasText: '(1 member,' }).waitFor();
    await bob.page.locator('#room').waitFor({ state: 'hidden' });
    await bob.page.locator('#conversation-list button', { hasText: title }).waitFor({ state: 'detached' });
    // The leaver's page still works: after a reload the conversation stays gone.
    await bob.page.reload();
    await connected(bob.page);
    check(await bob.page.locator('#conversation-list button', { hasText: title }).count() === 0,
      'the conversation is gone from the leaver\'s list after a reload');
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'member-left');
  },

  /** Without WebSocket in the browser, SockJS falls back to xhr-streaming and the chat still works. */
  async 'xhr-fallback'(browser) {
    const alice = await newUser(browser, 'alice', { noWebSocket: true });
    const bob = await newUser(browser, 'bob', { noWebSocket: true });
    const transport = await connected(alice.page);
    log(`alice's transport: ${transport}`);
    check(transport && transport !== 'websocket', `expected an XHR transport, got ${transport}`);
    check(await alice.page.evaluate(() => typeof window.WebSocket === 'undefined'), 'WebSocket is gone from the page');

    const title = `No sockets ${uniqueName('t')}`;
    await createConversation(alice, title, [bob]);
    await openConversation(bob, title);
    await send(alice, 'over xhr, from alice');
    await messageWithText(bob.page, 'over xhr, from alice').waitFor();
    await send(bob, 'over xhr, from bob');
    await messageWithText(alice.page, 'over xhr, from bob').waitFor();

    await send(alice, 'Answer over xhr please.', { ai: true });
    await alice.page.locator('#messages li.msg.assistant[data-state="done"]').waitFor();
    await bob.page.locator('#messages li.msg.assistant[data-state="done"]').waitFor();
    check(await connected(bob.page) === transport, 'bob uses the same transport');
    noPageErrors(alice, bob);
    await screenshot(alice.page, 'xhr-fallback');
  },
};

await main(scenarios);
