// Loads a dataset: resolves the CSV path, reads it, and hands it to the forecast or classify builder.
import { isAbsolute, relative, resolve } from 'node:path';
import type { DataConfig } from '../config/schema.js';
import { located, readTable, RowError, type ReadPlan, type Table } from './csv.js';
import { classifyPlan, loadClassify } from './load-classify.js';
import { forecastPlan, loadForecast } from './load-forecast.js';
import type { Dataset, FittedTransforms } from './types.js';
import type { OnProgress } from '../util/progress.js';

export interface LoadOptions {
  /** the config file's folder: cfg.path is relative to it */
  baseDir: string;
  /** seeds the classify split */
  seed: number;
  /** a checkpoint's transforms: apply them instead of fitting new ones */
  fitted?: FittedTransforms;
  /** a CSV path (absolute or relative to the working directory) used instead of cfg.path */
  pathOverride?: string;
  /**
   * the data is to predict from: the truth (a target that is not an input, the label) may be missing, and one
   * window (or sequence) is enough
   */
  inputsOnly?: boolean;
  /** when given, filled with the seconds each phase took: read (the CSV into columns), build (the rest) */
  timings?: Record<string, number>;
  /** hears how much of the file has been read */
  onProgress?: OnProgress;
}

/** A task's reader: the columns it reads (its plan) and the dataset it builds of them. */
interface Loader<C extends DataConfig> {
  plan(cfg: C, file: string, fitted?: FittedTransforms, inputsOnly?: boolean): (header: string[]) => ReadPlan;
  load(table: Table, cfg: C, absPath: string, opts: LoadOptions): Dataset;
}

const LOADERS: { [N in DataConfig['task']]: Loader<Extract<DataConfig, { task: N }>> } = {
  forecast: {
    plan: forecastPlan,
    load: (t, cfg, absPath, o) => loadForecast(t, { cfg, absPath, fitted: o.fitted, inputsOnly: o.inputsOnly }),
  },
  classify: {
    plan: classifyPlan,
    load: (t, cfg, path, o) => loadClassify(t, cfg, path, o.seed, o.fitted, o.inputsOnly),
  },
};

/**
 * Reads the CSV named by the config and builds its train/val/test/all splits.
 * Dataset.file is the absolute path; messages and summary.file use the path relative to the working directory.
 */
export async function loadDataset(cfg: DataConfig, opts: LoadOptions): Promise<Dataset> {
  const absPath = opts.pathOverride !== undefined ? resolve(opts.pathOverride) : resolve(opts.baseDir, cfg.path);
  const file = displayPath(absPath);
  const { fitted, inputsOnly } = opts;
  const started = performance.now();
  try {
    const loader = LOADERS[cfg.task] as Loader<DataConfig>;
    const table = await readTable(
      absPath,
      file,
      withNa(loader.plan(cfg, file, fitted, inputsOnly), cfg),
      opts.onProgress,
    );
    const read = performance.now();
    const dataset = loader.load(table, cfg, absPath, opts);
    timed(opts.timings, started, read);
    return dataset;
  } catch (e) {
    // the reader keeps no line numbers (they would halve its speed): an error about rows finds them now
    if (e instanceof RowError) throw await located(e, absPath, file);
    throw e;
  }
}

/** The plan with the config's cell rules: data.naValues (missing values) and data.timeFormat (the time's pattern). */
const withNa =
  (plan: (header: string[]) => ReadPlan, cfg: DataConfig) =>
  (header: string[]): ReadPlan => ({
    ...plan(header),
    naValues: cfg.naValues,
    ...('timeFormat' in cfg && cfg.timeFormat !== undefined ? { timeFormat: cfg.timeFormat } : {}),
  });

function timed(timings: Record<string, number> | undefined, started: number, read: number): void {
  if (timings === undefined) return;
  timings.read = (read - started) / 1000;
  timings.build = (performance.now() - read) / 1000;
}

/** The shorter of the path relative to the working directory and the absolute path. */
export function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath);
  return rel !== '' && !isAbsolute(rel) && rel.length < absPath.length ? rel : absPath;
}
