import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { epochCheckpointName, pruneCheckpoints } from '../../src/checkpoint/prune.js';
import { deadPid, listing, tempDir } from './helpers.js';

async function fakeCheckpoint(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'meta.json'), '{"formatVersion":1}');
}

test('epochCheckpointName pads to four digits', () => {
  assert.equal(epochCheckpointName(7), 'epoch-0007');
  assert.equal(epochCheckpointName(12345), 'epoch-12345');
});

test('pruneCheckpoints keeps the newest epochs plus best and last, and clears dead leftovers', async () => {
  const root = await tempDir();
  try {
    for (const e of [1, 2, 3, 10, 11]) await fakeCheckpoint(join(root, epochCheckpointName(e)));
    await fakeCheckpoint(join(root, 'best'));
    await fakeCheckpoint(join(root, 'last'));
    await writeFile(join(root, 'epoch-0004'), 'a file, not a checkpoint');
    const pid = deadPid();
    await fakeCheckpoint(join(root, `.last.tmp-${pid}-abcdef01`));
    await fakeCheckpoint(join(root, `.epoch-0009.del-${pid}-abcdef02`));
    await fakeCheckpoint(join(root, `.best.old-${process.pid}-abcdef03`)); // a live save's: left alone

    const removed = pruneCheckpoints(root, 2);
    assert.deepEqual(
      removed.sort(),
      ['epoch-0001', 'epoch-0002', 'epoch-0003'].map((n) => join(root, n)),
    );
    assert.deepEqual(await listing(root), [
      `.best.old-${process.pid}-abcdef03`,
      'best',
      'epoch-0004',
      'epoch-0010',
      'epoch-0011',
      'last',
    ]);

    assert.deepEqual(
      pruneCheckpoints(root, 0),
      ['epoch-0011', 'epoch-0010'].map((n) => join(root, n)),
    );
    assert.deepEqual(await listing(root), [`.best.old-${process.pid}-abcdef03`, 'best', 'epoch-0004', 'last']);
    assert.deepEqual(pruneCheckpoints(join(root, 'missing'), 3), []);
    assert.throws(() => pruneCheckpoints(root, -1), RangeError);
    assert.throws(() => pruneCheckpoints(root, 1.5), RangeError);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
