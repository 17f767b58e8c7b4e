// train.schedule: the learning rate of every step, a pure function of where the run is (and, for plateau, of its
// history), so a resumed run takes exactly the steps the uninterrupted one would have.
import type { TrainConfig } from '../config/schema.js';
import type { HistoryRow } from './state.js';

/** Where a step is: its epoch (1-based) and batch (0-based) of `batches` per epoch. */
export interface StepAt {
  epoch: number;
  batch: number;
  batches: number;
}

/** The learning rate of the step at `at`; `history` holds the epochs finished before it. */
export function learningRateAt(train: TrainConfig, at: StepAt, history: HistoryRow[]): number {
  const s = train.schedule;
  const peak = train.learningRate;
  const step = (at.epoch - 1) * at.batches + at.batch; // 0-based over the whole run
  const total = Math.max(1, train.epochs * at.batches);
  switch (s.kind) {
    case 'constant':
      return peak;
    case 'cosine': {
      const warm = Math.min(total - 1, Math.round(s.warmupEpochs * at.batches));
      if (step < warm) return (peak * (step + 1)) / warm;
      const top = Math.max(0, warm - 1); // the step at the peak: the warm-up's last, or the first
      return s.minLearningRate + (peak - s.minLearningRate) * halfCosine((step - top) / Math.max(1, total - 1 - top));
    }
    case 'onecycle': {
      // as torch.optim.lr_scheduler.OneCycleLR with its defaults (div_factor 25, final_div_factor 1e4, cos)
      const [initial, rise] = [peak / 25, Math.max(1, Math.round(s.pctStart * total) - 1)];
      if (step <= rise) return initial + (peak - initial) * (1 - halfCosine(step / rise));
      const final = initial / 1e4;
      return final + (peak - final) * halfCosine((step - rise) / Math.max(1, total - 1 - rise));
    }
    case 'plateau':
      return plateauRate(peak, s, history);
  }
}

/** 1 at t = 0, falling along a half cosine to 0 at t = 1. */
const halfCosine = (t: number) => 0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, t))));

/** Reduce-on-plateau replayed over the history: × factor once more than `patience` epochs pass without a new best. */
function plateauRate(peak: number, s: TrainConfig['schedule'], history: HistoryRow[]): number {
  let [rate, best, bad] = [peak, Infinity, 0];
  for (const row of history) {
    if (row.valLoss < best) [best, bad] = [row.valLoss, 0];
    else if (++bad > s.patience) [rate, bad] = [Math.max(s.minLearningRate, rate * s.factor), 0];
  }
  return rate;
}
