// The benchmark workloads: shapes, task and batch size, shared by the tfjs cases and the torch script.

export type WorkloadName = 'W1' | 'W2' | 'W3';

export interface Workload {
  name: WorkloadName;
  task: 'classify' | 'forecast';
  steps: number; // T
  features: number; // inputs per step
  hidden: number; // units per direction
  batch: number;
  outputs: number; // classes (classify, softmax cross-entropy) or targets (forecast, MSE)
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  // Row-by-row image classification: 28 rows of 28 pixels, 10 classes.
  W1: { name: 'W1', task: 'classify', steps: 28, features: 28, hidden: 128, batch: 64, outputs: 10 },
  // Multivariate forecasting: 96 past steps of 8 series, one target.
  W2: { name: 'W2', task: 'forecast', steps: 96, features: 8, hidden: 64, batch: 128, outputs: 1 },
  // W2 forecasting 24 steps at once (data.horizon 24): only the head and the loss grow.
  W3: { name: 'W3', task: 'forecast', steps: 96, features: 8, hidden: 64, batch: 128, outputs: 24 },
};

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const IMPLS = ['builtin-stock', 'builtin', 'hand-reference', 'hand-fused'] as const;
/** torch: bench/torch_lstm.py; onnx: ONNX Runtime on lstm-export's graph (inference only, bench/onnx.ts) */
export type Impl = (typeof IMPLS)[number] | 'torch' | 'onnx';
export type Direction = 'uni' | 'bi';
export type Phase = 'train' | 'infer';

/** One line of bench/results/<backend>.json. */
export interface BenchRow {
  workload: WorkloadName;
  impl: Impl;
  direction: Direction;
  phase: Phase;
  samplesPerSec: number;
  peakRssMb: number;
  /** wasm XNNPACK threads (torch: its intra-op threads; 0 on other backends) */
  threads: number;
}
