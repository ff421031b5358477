import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestName, editDistance, nearestName } from '../packages/lake/src/closest-name.js';
import { closestKey } from '../packages/lake/src/consumer/config.js';

test('editDistance: Levenshtein distance', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('abc', ''), 3);
  assert.equal(editDistance('flaw', 'lawn'), 2);
  assert.equal(editDistance('same', 'same'), 0);
});

test('closestName: a plausible typo gets a hint, an unrelated word none', () => {
  assert.equal(closestName('shcema', ['codec', 'schema', 'output']), 'schema');
  assert.equal(closestName('convrt', ['convert', 'run', 'demo']), 'convert');
  assert.equal(closestName('xyzzy', ['convert', 'run', 'demo']), undefined);
  assert.equal(closestName('anything', []), undefined);
  // Case, '-', spaces and camelCase humps are not counted as edits.
  assert.equal(closestName('endLedger', ['start_ledger', 'end_ledger']), 'end_ledger');
  assert.equal(closestName('Row-Group-Size', ['row_group_size', 'page_size']), 'row_group_size');
  // The first of equally near names wins.
  assert.equal(closestName('ab', ['aa', 'bb']), 'aa');
});

test('nearestName / closestKey: always the nearest, however far', () => {
  assert.equal(nearestName('xyzzy', ['convert', 'run']), 'run');
  assert.equal(nearestName('x', []), undefined);
  assert.equal(closestKey('partitionBy'), 'partition_by');
  assert.equal(closestKey('bufer_size'), 'buffer_size');
});
