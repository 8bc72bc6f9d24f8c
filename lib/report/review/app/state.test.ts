import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REVIEW_STORAGE_PREFIX } from '../types.ts';
import { parseState, ReviewStore, storageKey, type KeyValueStore } from './state.ts';

const memory = () => {
  const mem = new Map<string, string>();
  const store: KeyValueStore = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v) };
  return { mem, store };
};

test('saved state: one key per run, a round trip keeps verdicts, nudged starts, added calls and the done flag', () => {
  const { mem, store } = memory();
  const a = new ReviewStore('run1', store);
  assert.equal(a.problem, null);
  const r = a.recording('r00001');
  r.verdicts[0] = 'accept';
  r.verdicts[2] = 'unsure';
  r.starts[0] = 3.2;
  r.added.push({ start_s: 9.1, end_s: 13.2 }, { start_s: 40, end_s: 43, candidate: 0 });
  r.candidates[0] = 'accept';
  r.done = true;
  a.peek('r00099'); // looking does not create an entry
  a.save();
  assert.deepEqual([...mem.keys()], [`${REVIEW_STORAGE_PREFIX}run1`]);
  assert.equal(storageKey('run1'), 'capuchin-review:run1');
  const b = new ReviewStore('run1', store);
  assert.deepEqual(b.state, a.state);
  assert.deepEqual(Object.keys(b.state.recordings), ['r00001']);
  assert.equal(new ReviewStore('run2', store).peek('r00001'), undefined, 'another run starts empty');
  // small: only decisions are saved
  assert.ok(mem.get(storageKey('run1'))!.length < 250, mem.get(storageKey('run1')));
});

test('saved state: unreadable or foreign text gives an empty state and a reason; partial entries are completed', () => {
  assert.match(parseState('{nope').error!, /not JSON/);
  assert.match(parseState('{"version":2,"recordings":{}}').error!, /unknown layout/);
  assert.deepEqual(parseState(null), { state: { version: 1, recordings: {} } });
  const { state, error } = parseState(JSON.stringify({ version: 1, recordings: { r1: { verdicts: { 0: 'reject' }, added: [{ start_s: 1, end_s: 2 }, { start_s: 'x' }] }, r2: null } }));
  assert.equal(error, undefined);
  assert.deepEqual(state.recordings, { r1: { verdicts: { 0: 'reject' }, starts: {}, added: [{ start_s: 1, end_s: 2 }], candidates: {}, done: false } });
});

test('saved state: a store that throws (quota, storage disabled on file://) or is missing is reported, never thrown', () => {
  const full = new ReviewStore('run1', { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } });
  full.recording('r00001').verdicts[0] = 'accept';
  assert.doesNotThrow(() => full.save());
  assert.match(full.problem!, /cannot save .*QuotaExceededError/);
  assert.equal(full.peek('r00001')?.verdicts[0], 'accept', 'kept in memory for this page');
  const blocked = new ReviewStore('run1', { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('SecurityError'); } });
  assert.match(blocked.problem!, /cannot read saved decisions \(SecurityError\)/);
  const none = new ReviewStore('run1', null);
  assert.match(none.problem!, /no localStorage/);
  assert.doesNotThrow(() => none.save());
  // a later save that works clears a save problem
  let fail = true;
  const flaky = new ReviewStore('run1', { getItem: () => null, setItem: () => { if (fail) throw new Error('quota'); } });
  flaky.save();
  assert.ok(flaky.problem);
  fail = false;
  flaky.save();
  assert.equal(flaky.problem, null);
});
