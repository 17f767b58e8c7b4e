// prepare reports each long phase by name, in the order it runs: a forecaster's statistical peers are fitted in a
// phase of their own (per series and target), before the linear skip's start that reads them.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/backend/select.js';
import { configSchema } from '../../src/config/schema.js';
import { prepare } from '../../src/train/prepare.js';
import { tempDir } from '../cli/helpers.js';

before(async () => {
  await selectBackend('wasm');
});

test("prepare's phases: reading the file, the peers' fits one per series, then the linear skip", async () => {
  const dir = tempDir('lstm-prepare-');
  const path = join(dir, 'data.csv');
  const rows = ['store,v'];
  for (const store of ['a', 'b', 'c'])
    for (let t = 0; t < 60; t++) rows.push(`${store},${(50 + 10 * Math.sin((2 * Math.PI * t) / 12) + t).toFixed(3)}`);
  writeFileSync(path, rows.join('\n') + '\n');
  const config = configSchema.parse({
    data: {
      task: 'forecast',
      path,
      seriesId: 'store',
      targets: ['v'],
      window: 12,
      horizon: 3,
      season: 12,
      split: { val: 3, test: 3 },
    },
    model: { hiddenSize: 4 },
    output: { dir },
  });
  const heard: { phase: string; calls: [number, number][] }[] = [];
  const p = await prepare(config, {
    progress: (phase) => {
      const entry = { phase, calls: [] as [number, number][] };
      heard.push(entry);
      return (done, total) => entry.calls.push([done, total]);
    },
  });
  p.model.dispose();
  assert.deepEqual(
    heard.map((h) => h.phase),
    ['reading data.csv', 'fitting the statistical peers', 'fitting the linear skip'],
  );
  // one call per series (one target each), the last with all of them done
  assert.deepEqual(heard[1].calls, [
    [1, 3],
    [2, 3],
    [3, 3],
  ]);
  assert.ok(p.dataset.summary.notes?.some((n) => n.startsWith('the linear skip starts at')));
});
