// lstm-predict's library half: a checkpoint on a file without (or with) its truth, by the model's task.
import { taskOf, type Prediction, type PredictionRequest } from '../task/index.js';
import { withForward, type Runtime } from './runtime.js';

export { RUNTIMES, type Runtime } from './runtime.js';
export type { Prediction } from '../task/index.js';

export interface PredictRequest extends Omit<PredictionRequest, 'withForward'> {
  /** what runs the model for the predictions (default tfjs; interval calibration runs in tfjs either way) */
  runtime?: Runtime;
}

/** The task's predictor of a prediction (its table, extras and chart). */
export const predictorOf = (p: Prediction) => taskOf(p.task).predictor;

export function predict(r: PredictRequest): Promise<Prediction> {
  const { runtime = 'tfjs', ...request } = r;
  return taskOf(r.card.config.data.task).predictor.run({
    ...request,
    withForward: (data, work) => withForward(runtime, r.model, r.card, data, work),
  });
}

/** The table as JSON: one object per row, keyed by the CSV's column names, and the notes. */
export function predictionJson(p: Prediction): Record<string, unknown> {
  const { headers, rows } = predictorOf(p).table(p);
  const objects = rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? null])));
  return { ...predictorOf(p).extras(p), rows: objects, notes: p.notes };
}
