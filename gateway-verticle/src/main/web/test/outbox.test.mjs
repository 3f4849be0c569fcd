// Unit tests of the page's outbox (webroot/js/outbox.js). Run: node --test test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox } from '../../resources/webroot/js/outbox.js';

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
