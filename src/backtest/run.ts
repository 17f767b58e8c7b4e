// Runs a backtest: the folds' models (the checkpoint, or lstm-train children P at a time), each fold's forecasts
// written to its own file as soon as it is done, so an interrupted run resumes with the folds still missing.
import { join, relative } from 'node:path';
import { TrainingError } from '../errors.js';
import { loadCardData, loadData } from '../task/dataset.js';
import { readCard } from '../checkpoint/model-checkpoint.js';
import { own } from '../task/types.js';
import { readFolds, writeFold, type BacktestSpec, type FoldResult } from './fold-files.js';
import { foldOrigins, trainedAt } from './folds.js';
import { forecastFolds, type Layout } from './forecast-fold.js';
import { Children, fit, type FitJob } from './refit.js';

export interface RunOptions {
  parallel: number;
  interrupted: () => boolean;
  onFold?: (fold: FoldResult, done: number, of: number) => void;
}

/** The file as the folds see it (the checkpoint's transforms, or the config's), and every fold's origins. */
export async function planLayout(spec: BacktestSpec): Promise<Layout> {
  const loaded = spec.checkpoint
    ? await loadCardData(await readCard(spec.checkpoint), spec.dataPath, true)
    : await loadData(spec.config);
  const data = own(loaded, 'forecast');
  const info = data.forecast;
  const layout = { ...info, horizon: Math.max(...info.leads) };
  return { data, dataPath: spec.dataPath, origins: foldOrigins(layout, spec), season: spec.season };
}

/** A model and the folds it forecasts: trained up to fold `at`'s origins, or the given checkpoint (`at` undefined). */
interface Group {
  at?: number;
  folds: number[];
}

function groupsOf(spec: BacktestSpec, todo: number[]): Group[] {
  const groups = new Map<number | undefined, number[]>();
  for (const fold of todo) {
    const at = trainedAt(fold, spec.refit, spec.checkpoint !== undefined);
    groups.set(at, [...(groups.get(at) ?? []), fold]);
  }
  return [...groups].map(([at, folds]) => ({ at, folds }));
}

/** The data rows up to fold `at`'s origin in every series, as the loader numbers them: a refit's training file. */
function rowsUpTo(layout: Layout, at: number): Set<number> {
  const info = layout.data.forecast;
  const rows = new Set<number>();
  for (const o of layout.origins.filter((x) => x.fold === at))
    for (let r = info.seriesBounds[o.series][0]; r <= o.row; r++) if (info.rowIds[r] >= 0) rows.add(info.rowIds[r]);
  return rows;
}

/** Runs `work` on the items, at most `parallel` at once; none starts once `stop()` says so. */
async function pool<T>(items: T[], parallel: number, stop: () => boolean, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length && !stop()) await work(items[next++]);
  });
  await Promise.all(lanes);
}

/**
 * Runs the folds not yet in `dir`; resolves to every fold's result, or to 'interrupted'. `signal()` passes an
 * interrupt on to the training children.
 */
export function runBacktest(dir: string, spec: BacktestSpec, layout: Layout, o: RunOptions) {
  const children = new Children();
  const run = async (): Promise<FoldResult[] | 'interrupted'> => {
    const results = new Map(readFolds(dir).map((f) => [f.fold, f]));
    const todo = Array.from({ length: spec.folds }, (_, f) => f).filter((f) => !results.has(f));
    let failure: string | undefined;
    let crash: Error | undefined;
    const stop = () => o.interrupted() || failure !== undefined || crash !== undefined;
    const work = async (g: Group) => {
      let checkpoint = spec.checkpoint;
      if (g.at !== undefined) {
        const job: FitJob = {
          fold: g.at,
          home: join(dir, 'fits', `fold-${String(g.at).padStart(3, '0')}`),
          config: spec.config,
          rows: rowsUpTo(layout, g.at),
        };
        const fitted = await fit(job, children, o.interrupted);
        if ('interrupted' in fitted) return;
        if ('error' in fitted) {
          failure ??= fitted.error;
          return children.signal(); // the other trainings are of no use now
        }
        checkpoint = fitted.checkpoint;
      }
      for (const result of await forecastFolds(checkpoint!, layout, g.folds)) {
        const shown = { ...result, checkpoint: relativeIfInside(dir, result.checkpoint) };
        await writeFold(dir, shown);
        results.set(result.fold, shown);
        o.onFold?.(shown, results.size, spec.folds);
      }
    };
    // an error in one lane stops the trainings of the others: detached children would outlive us
    const guarded = (g: Group) =>
      work(g).catch((e: unknown) => {
        crash ??= e instanceof Error ? e : new Error(String(e));
        children.signal();
      });
    await pool(groupsOf(spec, todo), o.parallel, stop, guarded);
    if (crash !== undefined) throw crash;
    if (failure !== undefined)
      throw new TrainingError(
        failure,
        'fewer --folds or a smaller --stride: the first origins have the fewest rows to train on',
      );
    if (results.size < spec.folds) return 'interrupted';
    return [...results.values()].sort((a, b) => a.fold - b.fold);
  };
  return { done: run(), signal: children.signal };
}

function relativeIfInside(dir: string, path: string): string {
  const r = relative(dir, path);
  return r.startsWith('..') ? path : r;
}
