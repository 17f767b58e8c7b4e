// The meta.json a checkpoint carries: enough to use the model alone, and to resume its run exactly.
import type { Config, DataConfig } from '../config/schema.js';
import type { Scaler } from '../data/types.js';
import type { TrainState, HistoryRow } from './state.js';

export interface CheckpointMeta {
  kind: 'lstm-train-checkpoint';
  epoch: number;
  config: Config;
  data: DataConfig;
  task: 'forecast' | 'classify';
  featureNames: string[];
  targetNames: string[];
  classes: string[];
  steps: number;
  masked: boolean;
  featureScaler: Scaler;
  targetScaler?: Scaler;
  metrics: HistoryRow | null;
  bestEpoch: number;
  trainState: TrainState;
  backend: string;
  versions: Record<string, string>;
}
