// What a training run must remember to stop early, pick its best epoch and resume exactly: pure data and functions.
import type { EpochProgress, HistoryRow, TrainState } from '../checkpoint/model-card.js';

// The shapes are the model card's (checkpoints store them); the functions over them live here.
export type { EpochProgress, HistoryRow, TrainState };

export function initialState(seed: number): TrainState {
  return { epoch: 0, rngState: seed >>> 0, bestValLoss: Infinity, bestEpoch: 0, wait: 0, history: [] };
}

/** Records a finished epoch: whether val improved by more than minDelta, and the early-stopping counter. */
export function afterEpoch(
  state: TrainState,
  row: HistoryRow,
  minDelta: number,
): { state: TrainState; improved: boolean } {
  const improved = row.valLoss < state.bestValLoss - minDelta;
  return {
    improved,
    state: {
      ...state,
      epoch: row.epoch,
      history: [...state.history, row],
      bestValLoss: improved ? row.valLoss : state.bestValLoss,
      bestEpoch: improved ? row.epoch : state.bestEpoch,
      wait: improved ? 0 : state.wait + 1,
      inProgress: undefined,
    },
  };
}

/** Early stopping: patience 0 disables it. */
export function shouldStopEarly(state: TrainState, patience: number): boolean {
  return patience > 0 && state.wait >= patience;
}

/** The epoch's running sums after one more batch of `samples` examples, its mean loss and metric given. */
export function addBatch(
  progress: EpochProgress,
  batch: { loss: number; metric: number; samples: number },
): EpochProgress {
  return {
    ...progress,
    batchesDone: progress.batchesDone + 1,
    lossSum: progress.lossSum + batch.loss * batch.samples,
    metricSum: progress.metricSum + batch.metric * batch.samples,
    samples: progress.samples + batch.samples,
  };
}

/** Samples the batches of an epoch: index lists of at most batchSize, the last one shorter. */
export function batchesOf(indices: number[], batchSize: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < indices.length; i += batchSize) out.push(indices.slice(i, i + batchSize));
  return out;
}

/** Training throughput over whole epochs: samples seen / seconds spent training (validation excluded). */
export function trainingSamplesPerSec(history: HistoryRow[]): number {
  const seconds = history.reduce((a, r) => a + r.seconds, 0);
  const samples = history.reduce((a, r) => a + r.seconds * r.samplesPerSec, 0);
  return seconds > 0 ? samples / seconds : NaN;
}
