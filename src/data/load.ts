// Loads a dataset: resolves the CSV path, reads it, and hands it to the forecast or classify builder.
import { isAbsolute, relative, resolve } from 'node:path';
import type { DataConfig } from '../config/schema.js';
import { readCsv } from './csv.js';
import { loadClassify } from './load-classify.js';
import { loadForecast } from './load-forecast.js';
import type { Dataset, FittedTransforms } from './types.js';

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
}

/**
 * Reads the CSV named by the config and builds its train/val/test/all splits.
 * Dataset.file is the absolute path; messages and summary.file use the path relative to the working directory.
 */
export async function loadDataset(cfg: DataConfig, opts: LoadOptions): Promise<Dataset> {
  const absPath = opts.pathOverride !== undefined ? resolve(opts.pathOverride) : resolve(opts.baseDir, cfg.path);
  const table = await readCsv(absPath, displayPath(absPath));
  return cfg.task === 'forecast'
    ? loadForecast(table, cfg, absPath, opts.fitted, opts.inputsOnly)
    : loadClassify(table, cfg, absPath, opts.seed, opts.fitted, opts.inputsOnly);
}

/** The shorter of the path relative to the working directory and the absolute path. */
export function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath);
  return rel !== '' && !isAbsolute(rel) && rel.length < absPath.length ? rel : absPath;
}
