// Browser scenario for assistants per conversation (issue 15), run by AssistantsPageBrowserIT against a
// deployment with two profiles, General and Visa expert. By hand: CHORUS_URL=... node assistants.mjs <name>
import {
  main, newUser, openConversation, fillNewConversation, send, messageWithText, screenshot, check, noPageErrors, uniqueName, roomReady,
} from './lib.mjs';

const scenarios = {
  /**
   * The assistant is picked when creating the conversation, shown in the room header, labels each answer,
   * and a switch by another member reaches everyone as a notice and in the header.
   */
  async 'pick-and-switch-assistant'(browser) {
    const alice = await newUser(browser, 'alice');
    const bob = await newUser(browser, 'bob');
    const title = `Moving abroad ${uniqueName('t')}`;
    const { page } = alice;
    await fillNewConversation(alice, title, [bob]);
    await page.locator('#create-assistant').selectOption({ label: 'Visa expert' });
    await page.getByRole('button', { name: 'Create conversation' }).click();
    await page.locator('#room-title').filter({ hasText: title }).waitFor();
    await roomReady(page);
    check(await page.locator('#room-assistant').inputValue() === 'visa', 'the header shows the chosen assistant');

    await send(alice, 'Do I need a visa for a weekend in Oslo?', { ai: true });
    const visaAnswer = page.locator('#messages li.msg.assistant[data-state="done"]').last();
    await visaAnswer.waitFor();
    check(await visaAnswer.locator('.author').textContent() === 'Visa expert', 'the answer says who answered');

    await openConversation(bob, title);
    check(await bob.page.locator('#room-assistant').inputValue() === 'visa', 'bob sees the assistant too');
    await bob.page.locator('#room-assistant').selectOption('general');
    for (const user of [alice, bob]) {
      await user.page.locator('#messages li.msg.notice', { hasText: `${bob.username} switched the assistant to General` })
        .waitFor();
      await user.page.waitForFunction(() => document.getElementById('room-assistant').value === 'general');
    }

    await send(alice, 'And what should I pack?', { ai: true });
    await messageWithText(page, 'And what should I pack?').waitFor();
    const generalAnswer = page.locator('#messages li.msg.assistant[data-state="done"]').nth(1);
    await generalAnswer.waitFor();
    check(await generalAnswer.locator('.author').textContent() === 'General', 'the next answer is General\'s');
    noPageErrors(alice, bob);
    await screenshot(page, 'assistant-switched');
  },
};

await main(scenarios);
