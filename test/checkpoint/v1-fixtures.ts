// The committed run directories of lstm-train before the model card (test/fixtures/v1), copied where a test can use them.
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../cli/helpers.js';

const V1 = join(import.meta.dirname, '..', 'fixtures', 'v1');
/** Where the fixtures were made: their meta.json and config.json name their CSV there. */
const MADE_IN = '/tmp/fx';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsonFiles(path);
    return name === 'meta.json' || name === 'config.json' ? [path] : [];
  });
}

/**
 * A copy of test/fixtures/v1/<kind>-run with its CSV beside it, in a fresh folder; the data path in its
 * meta.json and config.json files is pointed at that copy (the only edit: the fixtures were made elsewhere).
 */
export function v1Run(kind: 'forecast' | 'classify'): { run: string; csv: string; best: string } {
  const dir = tempDir('lstm-v1-');
  const csvName = kind === 'forecast' ? 'sine-small.csv' : 'order-long-small.csv';
  const csv = join(dir, csvName);
  cpSync(join(V1, csvName), csv);
  const run = join(dir, `${kind}-run`);
  cpSync(join(V1, `${kind}-run`), run, { recursive: true });
  for (const file of jsonFiles(run))
    writeFileSync(file, readFileSync(file, 'utf8').split(`${MADE_IN}/${csvName}`).join(csv));
  return { run, csv, best: join(run, 'checkpoints', 'best') };
}

/** The metrics meta.json recorded for the checkpoint's epoch (as written, before any parsing). */
export function recordedMetrics(checkpoint: string): { valLoss: number; valMetric: number; epoch: number } {
  return JSON.parse(readFileSync(join(checkpoint, 'meta.json'), 'utf8')).metrics;
}
