// The files a run writes besides checkpoints: history.csv/json, the loss plot, summary.json, eval/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCheckpoint } from '../checkpoint/model-checkpoint.js';
import { evaluate, writeEvalPlot, type Evaluation } from '../task/evaluate.js';
import { lossCurveSpec, withLearningRate } from '../charts/loss-plot.js';
import { writePlot } from '../charts/render.js';
import { toCsv } from '../util/table.js';
import { taskOf } from '../task/index.js';
import type { SplitScores } from '../task/scores.js';
import { versions } from '../util/versions.js';
import type { StopReason } from './fit.js';
import type { Prepared } from './prepare.js';
import { trainingSamplesPerSec, type HistoryRow, type TrainState } from './state.js';

/** history rows with the metric spelled out: train_mae / val_accuracy, as written to history.csv and .json */
export function historyRecords(history: HistoryRow[], metric: string): Record<string, number>[] {
  return history.map((r) => ({
    epoch: r.epoch,
    train_loss: r.trainLoss,
    val_loss: r.valLoss,
    [`train_${metric}`]: r.trainMetric,
    [`val_${metric}`]: r.valMetric,
    learning_rate: r.learningRate,
    epoch_seconds: r.seconds,
    train_samples_per_sec: r.samplesPerSec,
  }));
}

/** history.csv and history.json; `metric` names the task's headline metric in the column names. */
const NO_ROW: HistoryRow = {
  epoch: 0,
  trainLoss: 0,
  valLoss: 0,
  trainMetric: 0,
  valMetric: 0,
  learningRate: 0,
  seconds: 0,
  samplesPerSec: 0,
};
/** The columns of history.csv, in order (the header is written even before the first epoch). */
const historyColumns = (metric: string) => Object.keys(historyRecords([NO_ROW], metric)[0]);

export function writeHistory(runDir: string, history: HistoryRow[], metric: string): string[] {
  const records = historyRecords(history, metric);
  const headers = historyColumns(metric);
  const csvPath = join(runDir, 'history.csv');
  const jsonPath = join(runDir, 'history.json');
  writeFileSync(
    csvPath,
    toCsv(
      headers,
      records.map((r) => headers.map((h) => r[h])),
    ),
  );
  writeFileSync(jsonPath, JSON.stringify(records, null, 2) + '\n');
  return [csvPath, jsonPath];
}

/** "sine — builtin LSTM (wasm)" */
export function lossTitle(p: Prepared, backend: string): string {
  const m = p.config.model;
  const kind = `${m.impl === 'hand' ? 'hand' : 'builtin'} ${m.bidirectional ? 'BI-LSTM' : 'LSTM'}${m.layers > 1 ? ` ×${m.layers}` : ''}`;
  const members = m.ensemble > 1 ? `, ensemble of ${m.ensemble}` : '';
  return `${p.config.name} — ${kind}${members} (${backend})`;
}

export async function writeLossPlot(runDir: string, history: HistoryRow[], title: string): Promise<string[]> {
  const rows = history.flatMap((r) => [
    { epoch: r.epoch, series: 'run', split: 'train' as const, loss: r.trainLoss },
    { epoch: r.epoch, series: 'run', split: 'val' as const, loss: r.valLoss },
  ]);
  return writePlot(runDir, 'loss', withLearningRate(lossCurveSpec(rows, { title }), history));
}

export interface SummaryInput {
  p: Prepared;
  state: TrainState;
  scores: SplitScores;
  stopReason: StopReason;
  backend: string;
  params: number;
  wallSeconds: number;
}

export function writeSummary(runDir: string, s: SummaryInput): string {
  const path = join(runDir, 'summary.json');
  const history = s.state.history;
  const summary = {
    name: s.p.config.name,
    task: s.p.dataset.task,
    metric: taskOf(s.p.dataset.task).metric,
    /** what the metric averages (forecast: over the steps ahead and the targets) */
    metricScope: taskOf(s.p.dataset.task).metricScope(s.p.dataset).replace(/^, /, ''),
    model: s.p.config.model,
    /** the data as loaded: file, rows, features, targets or classes, examples per split, notes */
    data: s.p.dataset.summary,
    epochs: s.state.epoch,
    bestEpoch: s.state.bestEpoch,
    /** the start's val scores when it was scored as epoch 0 (the linear skip alone, before training) */
    ...(s.state.start ? { start: s.state.start } : {}),
    stopReason: s.stopReason,
    /** scores of checkpoints/best in eval mode */
    final: s.scores,
    wallSeconds: s.wallSeconds,
    trainSamplesPerSec: trainingSamplesPerSec(history),
    backend: s.backend,
    params: s.params,
    versions: versions(),
  };
  writeFileSync(path, JSON.stringify(summary, null, 2) + '\n');
  return path;
}

/**
 * The best checkpoint on the test split (val when there is none, or `only` says so), as lstm-eval reports it: eval/report.json with
 * the baselines, and the task's charts beside it (what report.html shows).
 */
export async function writeFinalEvaluation(
  runDir: string,
  p: Prepared,
  best: ModelCheckpoint,
  only?: 'val',
): Promise<{ files: string[]; evaluation: Evaluation }> {
  const dataset = p.dataset;
  const task = taskOf(dataset.task);
  const batchSize = p.config.train.batchSize;
  const split = only ?? (dataset.splits.test.size > 0 ? 'test' : 'val');
  const training = task.usesTrainingData ? dataset : undefined;
  const context = task.metricsContext({ model: best.model, training, fitted: best.card.fitted, batchSize });
  const e = evaluate(best.model, dataset, split, batchSize, context);
  const dir = join(runDir, 'eval');
  mkdirSync(dir, { recursive: true });
  const report = join(dir, 'report.json');
  writeFileSync(
    report,
    JSON.stringify({ checkpoint: 'checkpoints/best', epoch: best.card.epoch, ...e.metrics }, null, 2) + '\n',
  );
  const files = [report, ...(await writeEvalPlot(dir, e, dataset, p.config.name))];
  return { files, evaluation: e };
}
