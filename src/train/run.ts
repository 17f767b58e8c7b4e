// A whole lstm-train run: the loop, checkpoints every epoch, then history, the loss plot, the summary and the
// best checkpoint's evaluation.
import { calibratedLevels } from '../data/interval-bounds.js';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { epochCheckpointName, pruneCheckpoints, restoreOptimizerState } from '../checkpoint/checkpoint.js';
import { loadModelCheckpoint, saveModelCheckpoint } from '../checkpoint/model-checkpoint.js';
import { TrainingError } from '../errors.js';
import { countParams } from '../models/build.js';
import { taskOf } from '../task/index.js';
import { evaluateSplits, type SplitScores } from '../task/scores.js';
import { fit, scoreStart, type SaveInfo, type StopReason, type TrainEvent } from './fit.js';
import { classWeightsOf } from '../task/class-weights.js';
import { makeOptimizer } from './optimizer.js';
import { lossTitle, writeFinalEvaluation, writeHistory, writeLossPlot, writeSummary } from './outputs.js';
import { modelCard, type Prepared } from './prepare.js';
import { createRunDir } from './run-dir.js';
import { initialState, type TrainState } from './state.js';

export interface RunOptions {
  backend: string;
  /** parent folder of the run directory (default: config.output.dir) */
  outDir?: string;
  /** resume into this existing run directory */
  runDir?: string;
  state?: TrainState;
  /** a resumed run's optimizer state (checks the optimizer class, then restores the moments and step count) */
  optimizerState?: Parameters<typeof restoreOptimizerState>[1];
  epochs?: number;
  /** score and plot val only, leaving the test split unseen (lstm-tune's trials: test is scored once, at the end) */
  withholdTest?: boolean;
  onEvent?: (event: TrainEvent) => void;
  interrupted?: () => boolean;
}

/** An interrupted run has no final scores: its best checkpoint may not be its last word. */
export type RunResult = { runDir: string; state: TrainState; files: string[] } & (
  | { stopReason: Extract<StopReason, 'interrupted'> }
  | {
      stopReason: Exclude<StopReason, 'interrupted'>;
      scores: SplitScores;
      /** what the best checkpoint lacks: interval levels its val split was too short to calibrate */
      notes: string[];
    }
);

export async function trainRun(p: Prepared, o: RunOptions): Promise<RunResult> {
  const { config, model } = p;
  const started = performance.now();
  const runDir = o.runDir ?? createRunDir(o.outDir ?? config.output.dir, config.name);
  const checkpoints = join(runDir, 'checkpoints');
  writeFileSync(join(runDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
  const optimizer = makeOptimizer(config.train);
  if (o.optimizerState) await restoreOptimizerState(optimizer, o.optimizerState, join(checkpoints, 'last'));
  const metric = taskOf(p.dataset.task).metric;
  const save = async (state: TrainState, info: SaveInfo) => {
    const card = modelCard(p, state, o.backend, info.fitted);
    await saveModelCheckpoint(join(checkpoints, 'last'), { model, optimizer, card });
    if (info.interrupted) return;
    if (info.improved) await saveModelCheckpoint(join(checkpoints, 'best'), { model, card });
    if (config.output.keepCheckpoints > 0) {
      await saveModelCheckpoint(join(checkpoints, epochCheckpointName(state.epoch)), { model, card });
      pruneCheckpoints(checkpoints, config.output.keepCheckpoints);
    }
    writeHistory(runDir, state.history, metric);
  };
  const anchored = p.anchor && { anchor: { layer: p.anchor.layer, strength: p.anchor.strength } };
  let start = o.state ?? { ...initialState(config.seed), ...anchored };
  const scored =
    o.state === undefined && p.started
      ? scoreStart({ model, dataset: p.dataset, train: config.train }, start)
      : undefined;
  if (scored !== undefined) {
    start = scored.state;
    await saveModelCheckpoint(join(checkpoints, 'best'), {
      model,
      card: modelCard(p, start, o.backend, scored.fitted),
    });
    o.onEvent?.(scored.event);
  }
  const { state, stopReason } = await fit({
    model,
    optimizer,
    dataset: p.dataset,
    train: config.train,
    classWeights: classWeightsOf(config, p.dataset),
    anchor: p.anchor,
    state: start,
    epochs: o.epochs ?? config.train.epochs,
    onEvent: o.onEvent,
    interrupted: o.interrupted,
    save,
  }).catch((e) => {
    if (!(e instanceof TrainingError)) throw e;
    const last = join(checkpoints, 'last');
    throw new TrainingError(
      `${e.message}; ${existsSync(last) ? `the last good checkpoint is kept: ${last}` : 'no checkpoint was written'}`,
      e.suggestion,
    );
  });
  optimizer.dispose();
  if (stopReason === 'interrupted') return { runDir, stopReason, state, files: [join(checkpoints, 'last')] };
  const best = await loadModelCheckpoint(join(checkpoints, 'best'));
  const notes = calibratedLevels(best.card.fitted.forecast?.intervals).notes;
  const final = await writeFinalEvaluation(runDir, p, best, o.withholdTest ? 'val' : undefined);
  const known = { [final.evaluation.split.name]: final.evaluation.predictions };
  const withheld = o.withholdTest ? (['test'] as const) : [];
  const scores = evaluateSplits(best.model, p.dataset, config.train.batchSize, known, withheld);
  best.model.dispose();
  const files = [
    ...writeHistory(runDir, state.history, metric),
    ...(await writeLossPlot(runDir, state.history, lossTitle(p, o.backend))),
    writeSummary(runDir, {
      p,
      state,
      scores,
      stopReason,
      backend: o.backend,
      params: countParams(model),
      wallSeconds: (performance.now() - started) / 1000,
    }),
    ...final.files,
    join(checkpoints, 'best'),
    join(checkpoints, 'last'),
  ];
  return { runDir, stopReason, state, scores, files, notes };
}
