// Unit tests of the page's outbox (webroot/js/outbox.js). Run: node --test test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, resendDelayMs, sendWithResend } from '../../resources/webroot/js/outbox.js';

/** A task whose completion the test controls, recording when it started. */
function deferredTask(log, name) {
  let finish;
  let fail;
  const task = () => {
    log.push(`start ${name}`);
    return new Promise((resolve, reject) => { finish = resolve; fail = reject; });
  };
  return { task, finish: (v) => finish(v), fail: (e) => fail(e) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a second send starts only after the first one is answered', async () => {
  const log = [];
  const outbox = new Outbox();
  const first = deferredTask(log, 'first');
  const second = deferredTask(log, 'second');
  const firstResult = outbox.enqueue(first.task);
  const secondResult = outbox.enqueue(second.task);
  await tick();
  assert.deepEqual(log, ['start first']);
  first.finish('seq 2');
  assert.equal(await firstResult, 'seq 2');
  await tick();
  assert.deepEqual(log, ['start first', 'start second']);
  second.finish('seq 3');
  assert.equal(await secondResult, 'seq 3');
});

test('a failed send is reported and does not hold back the next', async () => {
  const log = [];
  const outbox = new Outbox();
  const first = deferredTask(log, 'first');
  const second = deferredTask(log, 'second');
  const firstResult = outbox.enqueue(first.task);
  const secondResult = outbox.enqueue(second.task);
  await tick();
  first.fail(new Error('503'));
  await assert.rejects(firstResult, /503/);
  await tick();
  assert.deepEqual(log, ['start first', 'start second']);
  second.finish('ok');
  assert.equal(await secondResult, 'ok');
});

test('resends wait longer each time, with jitter, up to a bound', () => {
  assert.equal(resendDelayMs(0, () => 0), 250);
  assert.equal(resendDelayMs(0, () => 0.999999), 500);
  assert.equal(resendDelayMs(1, () => 0), 500);
  assert.equal(resendDelayMs(3, () => 0.5), 3000);
  assert.equal(resendDelayMs(20, () => 0), 4000);
  assert.equal(resendDelayMs(20, () => 0.999999), 8000);
});

test('a "resend later" answer is resent after a wait, until it succeeds', async () => {
  const waits = [];
  let calls = 0;
  const result = await sendWithResend(async () => {
    calls += 1;
    if (calls < 3) throw Object.assign(new Error('overloaded'), { code: 503 });
    return 'seq 7';
  }, (e) => e.code === 503, { random: () => 0, wait: async (ms) => { waits.push(ms); } });
  assert.equal(result, 'seq 7');
  assert.equal(calls, 3);
  assert.deepEqual(waits, [250, 500]);
});

test('another failure is not resent, and a busy server is given up on after the last attempt', async () => {
  let calls = 0;
  const busy = (e) => e.code === 503;
  const noWait = { wait: async () => {} };
  await assert.rejects(sendWithResend(async () => {
    calls += 1;
    throw Object.assign(new Error('too long'), { code: 400 });
  }, busy, noWait), /too long/);
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(sendWithResend(async () => {
    calls += 1;
    throw Object.assign(new Error('overloaded'), { code: 503 });
  }, busy, { ...noWait, attempts: 4 }), /overloaded/);
  assert.equal(calls, 4);
});
