// Unit tests of the messages kept while the connection is down (webroot/js/pending-store.js). Run: node --test test/
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

// The tab's sessionStorage, as the page has it.
const stored = new Map();
globalThis.sessionStorage = {
  getItem: (key) => (stored.has(key) ? stored.get(key) : null),
  setItem: (key, value) => stored.set(key, String(value)),
  removeItem: (key) => stored.delete(key),
};
const { pendingStore } = await import('../../resources/webroot/js/pending-store.js');

const message = (id, conversationId = 'c-1') => ({ conversationId, clientMsgId: id, text: `text ${id}`, ai: false });

beforeEach(() => stored.clear());

test('messages are kept in the order they were written until each is done', () => {
  pendingStore.add(message('a'));
  pendingStore.add(message('b', 'c-2'));
  pendingStore.add(message('c'));
  pendingStore.done('b');
  assert.deepEqual(pendingStore.all().map((m) => m.clientMsgId), ['a', 'c']);
  pendingStore.done('a');
  pendingStore.done('c');
  assert.deepEqual(pendingStore.all(), []);
  assert.equal(stored.size, 0, 'nothing left in the storage');
});

test('adding a message again keeps one copy of it', () => {
  pendingStore.add(message('a'));
  pendingStore.add(message('a'));
  assert.equal(pendingStore.all().length, 1);
});

test('one message has one sender in the page until it is released', () => {
  assert.equal(pendingStore.claim('a'), true);
  assert.equal(pendingStore.claim('a'), false);
  pendingStore.release('a');
  assert.equal(pendingStore.claim('a'), true);
  pendingStore.release('a');
});

test('unreadable storage counts as empty', () => {
  stored.set('chorus.pending', '{not json');
  assert.deepEqual(pendingStore.all(), []);
  pendingStore.add(message('a'));
  assert.deepEqual(pendingStore.all().map((m) => m.clientMsgId), ['a']);
});
