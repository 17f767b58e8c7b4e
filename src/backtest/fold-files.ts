// A backtest's folder: its plan (backtest.json) and one file per finished fold, each written crash-safe.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir, writeDurable } from '../checkpoint/durable-fs.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { FoldPlan } from './folds.js';

/** What a run was asked to do: a resumed run does exactly this again. */
export interface BacktestSpec extends FoldPlan {
  version: 1;
  /** the checkpoint forecast with (refit never) or whose config retrains; absent: `config` alone */
  checkpoint?: string;
  config: Config;
  /** the file backtested on */
  dataPath: string;
  /** data.season: the seasonal-naive baseline and MASE's period */
  season?: number;
}

/** One forecast step of one target from one origin, in original units. */
export interface PredictionRow {
  series?: string;
  fold: number;
  /** the origin's data-row index and its time */
  originRow: number;
  originTime?: string;
  step: number;
  time?: string;
  /** where the chart draws it: time in ms, or data-row index */
  x: number;
  target: string;
  actual: number;
  forecast: number;
  persistence: number;
  seasonalNaive?: number;
  /** MASE's scale for this origin and target */
  scale: number;
}

export interface FoldResult {
  fold: number;
  /** the checkpoint that forecast, relative to the backtest folder when it lies in it */
  checkpoint: string;
  rows: PredictionRow[];
}

export const foldsDir = (dir: string) => join(dir, 'folds');
const foldFile = (dir: string, fold: number) => join(foldsDir(dir), `fold-${String(fold).padStart(3, '0')}.json`);

/** Written to a temporary name, synced, then renamed: a fold file is whole or absent. */
async function writeAtomic(path: string, dir: string, text: string): Promise<void> {
  await writeDurable(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
  await syncDir(dir);
}

export async function writeSpec(dir: string, spec: BacktestSpec): Promise<void> {
  mkdirSync(foldsDir(dir), { recursive: true });
  await writeAtomic(join(dir, 'backtest.json'), dir, JSON.stringify(spec, null, 2) + '\n');
}

export function readSpec(dir: string): BacktestSpec {
  const path = join(dir, 'backtest.json');
  if (!existsSync(path)) throw new UsageError(`--resume: expected a backtest folder (with backtest.json), got ${dir}`);
  return JSON.parse(readFileSync(path, 'utf8')) as BacktestSpec;
}

export async function writeFold(dir: string, result: FoldResult): Promise<void> {
  await writeAtomic(foldFile(dir, result.fold), foldsDir(dir), JSON.stringify(result) + '\n');
}

/** The folds already finished (a resumed run skips them). */
export function readFolds(dir: string): FoldResult[] {
  if (!existsSync(foldsDir(dir))) return [];
  return readdirSync(foldsDir(dir))
    .filter((n) => /^fold-\d+\.json$/.test(n))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(foldsDir(dir), n), 'utf8')) as FoldResult);
}
