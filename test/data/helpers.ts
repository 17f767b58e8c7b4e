// Test helpers for the data layer: real CSV files in a temp dir, configs through the real schema, error checks.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  classifyDataSchema,
  forecastDataSchema,
  type ClassifyDataConfig,
  type ForecastDataConfig,
} from '../../src/config/schema.js';
import { DataError } from '../../src/errors.js';
import { loadDataset } from '../../src/data/load.js';
import type { Dataset, FittedTransforms, ForecastDataset } from '../../src/data/types.js';

/** A fresh temp dir holding `name` with `text`; returns the dir and the file's absolute path. */
export function writeCsv(name: string, text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-data-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return { dir, path };
}

export const forecastCfg = (o: Record<string, unknown>): ForecastDataConfig =>
  forecastDataSchema.parse({ task: 'forecast', path: 'data.csv', ...o });

export const classifyCfg = (o: Record<string, unknown>): ClassifyDataConfig =>
  classifyDataSchema.parse({ task: 'classify', path: 'data.csv', ...o });

/** Writes `text` as data.csv in a temp dir and loads it with `cfg`. */
export function loadText(
  text: string,
  cfg: ForecastDataConfig | ClassifyDataConfig,
  opts: { seed?: number; fitted?: FittedTransforms } = {},
): Promise<Dataset> {
  const { dir } = writeCsv(cfg.path, text);
  return loadDataset(cfg, { baseDir: dir, seed: opts.seed ?? 1, fitted: opts.fitted });
}

/** loadText for a forecast config, narrowed to the forecast dataset it gives. */
export async function loadForecastText(text: string, cfg: ForecastDataConfig): Promise<ForecastDataset> {
  const ds = await loadText(text, cfg);
  assert.equal(ds.task, 'forecast');
  return ds;
}

/** Asserts the promise rejects with a DataError whose message contains every fragment (no stack trace in it). */
export async function rejectsWith(p: Promise<unknown>, ...fragments: string[]): Promise<DataError> {
  let caught: unknown;
  await p.then(
    () => assert.fail(`expected a DataError containing ${JSON.stringify(fragments)}`),
    (e) => (caught = e),
  );
  assert.ok(caught instanceof DataError, `expected a DataError, got ${String(caught)}`);
  for (const f of fragments)
    assert.ok(caught.message.includes(f), `message ${JSON.stringify(caught.message)} lacks ${JSON.stringify(f)}`);
  assert.ok(!/\n\s+at /.test(caught.message), 'message must not carry a stack trace');
  return caught;
}

/** Rows "a,b,..." joined with a header into CSV text. */
export const csv = (header: string, rows: (string | number)[][]) =>
  [header, ...rows.map((r) => r.join(','))].join('\n') + '\n';
