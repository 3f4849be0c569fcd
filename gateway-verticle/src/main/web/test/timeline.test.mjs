// Unit tests of the page's timeline (webroot/js/timeline.js): live events and history merged by seq,
// without duplicates or gaps, and streaming answers resumed from a snapshot. Run: node --test test/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Timeline } from '../../resources/webroot/js/timeline.js';

function recorder() {
  const calls = { persisted: [], stream: [], resync: 0 };
  const listener = {
    persisted: (e) => calls.persisted.push(e.seq),
    stream: (s) => calls.stream.push({ id: s.streamId, index: s.index, text: s.text, ended: s.ended, error: s.error }),
    resync: () => { calls.resync += 1; },
  };
  return { calls, timeline: new Timeline(listener) };
}

const msg = (seq, content = `m${seq}`) => ({ type: 'new_message', seq, messageId: `id${seq}`, content, userId: 'u1' });
const chunk = (streamId, index, delta) => ({ type: 'ai_response_chunk', streamId, index, delta });
const complete = (streamId, seq, content) =>
  ({ type: 'ai_response_complete', streamId, seq, messageId: `a${seq}`, role: 'assistant', content, finishReason: 'stop' });

test('the latest page sets the window and live events extend it', () => {
  const { calls, timeline } = recorder();
  timeline.applyHistory({ messages: [msg(3), msg(4)], lastSeq: 4, streams: [] }, 'latest');
  assert.equal(timeline.lowest, 3);
  assert.equal(timeline.contiguous, 4);
  assert.equal(timeline.hasOlder, true);
  timeline.apply(msg(5));
  assert.equal(timeline.contiguous, 5);
  assert.deepEqual(calls.persisted, [3, 4, 5]);
  assert.equal(calls.resync, 0);
});

test('a duplicate seq is applied once', () => {
  const { calls, timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  timeline.apply(msg(2));
  timeline.apply(msg(2));
  timeline.applyHistory({ messages: [msg(2)], lastSeq: 2 }, 'after');
  assert.deepEqual(calls.persisted, [1, 2]);
  assert.equal(timeline.hasOlder, false);
});

test('a skipped seq asks for a resync, and history fills the gap', () => {
  const { calls, timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  timeline.apply(msg(3));
  assert.equal(calls.resync, 1);
  assert.equal(timeline.contiguous, 1);
  timeline.applyHistory({ messages: [msg(2), msg(3)], lastSeq: 3 }, 'after');
  assert.equal(timeline.contiguous, 3);
  assert.deepEqual(timeline.ordered().map((e) => e.seq), [1, 2, 3]);
});

test('live events that came before the first page are kept and merged', () => {
  const { calls, timeline } = recorder();
  timeline.apply(msg(7));
  assert.equal(calls.resync, 0, 'no resync before the first page');
  timeline.applyHistory({ messages: [msg(5), msg(6)], lastSeq: 6 }, 'latest');
  assert.equal(timeline.contiguous, 7);
  assert.deepEqual(timeline.ordered().map((e) => e.seq), [5, 6, 7]);
});

test('a full catch-up page asks for the next one', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  const more = timeline.applyHistory({ messages: [msg(2), msg(3)], lastSeq: 9 }, 'after');
  assert.equal(more, true);
  assert.equal(timeline.contiguous, 3);
  const last = timeline.applyHistory({ messages: [msg(4)], lastSeq: 4 }, 'after');
  assert.equal(last, false);
  assert.equal(timeline.contiguous, 4);
});

test('a catch-up page cut short by its byte budget still asks for the next one', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  // 200 were asked for; a page of long messages stops at about 512 KiB.
  const more = timeline.applyHistory({ messages: [msg(2), msg(3)], lastSeq: 9 }, 'after');
  assert.equal(more, true);
  assert.equal(timeline.contiguous, 3, 'not past what came');
});

test('an older page cut short by its byte budget is not the start', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [msg(8), msg(9)], lastSeq: 9 }, 'latest');
  timeline.applyHistory({ messages: [msg(6), msg(7)], lastSeq: 9 }, 'before');
  assert.equal(timeline.hasOlder, true);
  timeline.applyHistory({ messages: [], lastSeq: 9 }, 'before');
  assert.equal(timeline.hasOlder, false, 'an empty page is');
});

test('older pages go back until the first seq', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [msg(4), msg(5)], lastSeq: 5 }, 'latest');
  assert.equal(timeline.hasOlder, true);
  timeline.applyHistory({ messages: [msg(2), msg(3)], lastSeq: 5 }, 'before');
  assert.equal(timeline.lowest, 2);
  assert.equal(timeline.hasOlder, true);
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 5 }, 'before');
  assert.equal(timeline.hasOlder, false);
  assert.deepEqual(timeline.ordered().map((e) => e.seq), [1, 2, 3, 4, 5]);
});

test('chunks build the answer in index order and the stored event ends it', () => {
  const { calls, timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  timeline.apply({ type: 'ai_thinking', streamId: 's', replyTo: 'id1' });
  timeline.apply(chunk('s', 0, 'Hel'));
  timeline.apply(chunk('s', 1, 'lo'));
  timeline.apply(chunk('s', 1, 'lo'));
  assert.equal(timeline.activeStreams()[0].text, 'Hello');
  timeline.apply(complete('s', 2, 'Hello'));
  assert.equal(timeline.activeStreams().length, 0);
  timeline.apply(chunk('s', 2, ' late'));
  assert.equal(timeline.activeStreams().length, 0, 'a chunk after the end is ignored');
  assert.deepEqual(calls.persisted, [1, 2]);
});

test('a reload mid-answer continues from the snapshot, with only later chunks', () => {
  const { calls, timeline } = recorder();
  // Live chunks 3 and 4 arrive before the history reply that holds the snapshot up to index 3.
  timeline.apply(chunk('s', 3, 'D'));
  timeline.apply(chunk('s', 4, 'E'));
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1, streams: [{ streamId: 's', replyTo: 'id1', index: 3, text: 'ABCD' }] },
    'latest');
  assert.equal(timeline.activeStreams()[0].text, 'ABCDE');
  timeline.apply(chunk('s', 5, 'F'));
  assert.equal(timeline.activeStreams()[0].text, 'ABCDEF');
  assert.equal(calls.stream.at(-1).index, 5);
});

test('a skipped chunk index is buffered until a snapshot covers the gap', () => {
  const { calls, timeline } = recorder();
  timeline.applyHistory({ messages: [], lastSeq: 0 }, 'latest');
  timeline.apply(chunk('s', 0, 'a'));
  timeline.apply(chunk('s', 2, 'c'));
  assert.equal(calls.resync, 1);
  assert.equal(timeline.activeStreams()[0].text, 'a');
  timeline.applyHistory({ messages: [], lastSeq: 0, streams: [{ streamId: 's', index: 1, text: 'ab' }] }, 'after');
  assert.equal(timeline.activeStreams()[0].text, 'abc');
});

test('a snapshot older than the live text is ignored', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [], lastSeq: 0 }, 'latest');
  timeline.apply(chunk('s', 0, 'a'));
  timeline.apply(chunk('s', 1, 'b'));
  timeline.applyHistory({ messages: [], lastSeq: 0, streams: [{ streamId: 's', index: 0, text: 'a' }] }, 'after');
  assert.equal(timeline.activeStreams()[0].text, 'ab');
});

test('a snapshot of a stream whose stored event is known is ignored', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1), complete('s', 2, 'done')], lastSeq: 2,
    streams: [{ streamId: 's', index: 0, text: 'do' }] }, 'latest');
  assert.equal(timeline.activeStreams().length, 0);
});

test('a cancelled answer keeps its partial text as the stored event', () => {
  const { timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  timeline.apply(chunk('s', 0, 'part'));
  timeline.apply({ ...complete('s', 2, 'part'), finishReason: 'cancelled' });
  assert.equal(timeline.events.get(2).finishReason, 'cancelled');
  assert.equal(timeline.events.get(2).content, 'part');
});

test('an error without seq ends the stream, and one with seq is stored', () => {
  const { calls, timeline } = recorder();
  timeline.applyHistory({ messages: [msg(1)], lastSeq: 1 }, 'latest');
  timeline.apply({ type: 'ai_thinking', streamId: 'x', replyTo: 'id1' });
  timeline.apply({ type: 'ai_response_error', streamId: 'x', code: 503, error: 'no worker' });
  assert.equal(timeline.activeStreams().length, 0);
  assert.equal(calls.stream.at(-1).error, 'no worker');
  timeline.apply(chunk('y', 0, 'half'));
  timeline.apply({ type: 'ai_response_error', streamId: 'y', code: 503, error: 'cut', seq: 2, messageId: 'a2', content: 'half' });
  assert.deepEqual(calls.persisted, [1, 2]);
  assert.equal(timeline.contiguous, 2);
});
