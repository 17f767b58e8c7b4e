// The files a run writes besides checkpoints: history.csv/json, the loss plot, summary.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lossCurveSpec } from '../report/loss-plot.js';
import { writePlot } from '../report/render.js';
import { toCsv } from '../report/table.js';
import { metricName } from '../eval/predict.js';
import { versions } from '../util/versions.js';
import type { SplitScores } from '../eval/summary.js';
import { trainingSamplesPerSec, type HistoryRow, type TrainState } from './state.js';
import type { StopReason } from './fit.js';
import type { Prepared } from './run.js';

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

export function writeHistory(runDir: string, history: HistoryRow[], task: 'forecast' | 'classify'): string[] {
  const records = historyRecords(history, metricName(task));
  const headers = Object.keys(historyRecords([{} as HistoryRow], metricName(task))[0]);
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
  return `${p.config.name} — ${kind} (${backend})`;
}

export async function writeLossPlot(runDir: string, history: HistoryRow[], title: string): Promise<string[]> {
  const rows = history.flatMap((r) => [
    { epoch: r.epoch, series: 'run', split: 'train' as const, loss: r.trainLoss },
    { epoch: r.epoch, series: 'run', split: 'val' as const, loss: r.valLoss },
  ]);
  return writePlot(runDir, 'loss', lossCurveSpec(rows, { title }));
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
    metric: metricName(s.p.dataset.task),
    model: s.p.config.model,
    epochs: s.state.epoch,
    bestEpoch: s.state.bestEpoch,
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
