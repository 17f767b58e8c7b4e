import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.js';
import { outTarget, writeExport } from '../../src/export/write-out.js';
import { listTree, tempDir } from '../cli/helpers.js';

test('an export replaces --out whole (with --force), and a write that fails leaves the old one as it was', async () => {
  const dir = tempDir('lstm-write-out-');
  const out = join(dir, 'export');
  mkdirSync(out);
  writeFileSync(join(out, 'old.txt'), 'old');
  assert.throws(() => outTarget(out, 'folder', false, '/nowhere'), UsageError);
  const target = outTarget(out, 'folder', true, '/nowhere');
  // "a" is a file, so "a/b" cannot be written: the export fails after its first file
  const failing = new Map([
    ['a', 'first'],
    ['a/b', 'second'],
  ]);
  await assert.rejects(
    writeExport(target, failing),
    (e: unknown) => e instanceof UsageError && /--out: expected a writable location/.test(e.message),
  );
  assert.deepEqual(listTree(dir), ['export', 'export/old.txt'], 'the old export, and no temporary sibling');
  const files = await writeExport(target, new Map([['model.json', '{}']]));
  assert.deepEqual(files, [join(out, 'model.json')]);
  assert.deepEqual(listTree(dir), ['export', 'export/model.json']);
  assert.equal(readFileSync(join(out, 'model.json'), 'utf8'), '{}');
});

test('--out is refused when it would hold the working folder or the checkpoint, or its folder is missing', () => {
  const dir = tempDir('lstm-write-out-');
  assert.throws(
    () => outTarget(dir, 'folder', true, join(dir, 'runs', 'best')),
    /holds the working folder or the checkpoint/,
  );
  assert.throws(
    () => outTarget(join(dir, 'no', 'such'), 'folder', false, '/nowhere'),
    /expected a path in an existing folder/,
  );
  writeFileSync(join(dir, 'model.onnx'), 'x');
  assert.throws(() => outTarget(join(dir, 'model.onnx'), 'file', false, '/nowhere'), /expected a new or empty file/);
  assert.equal(outTarget(join(dir, 'model.onnx'), 'file', true, '/nowhere').replaces, true);
});
