// Every LSTM layer of a model, each direction, stepped through the equations with its own weights: the gates.
import * as tf from '@tensorflow/tfjs';
import { memberModels } from './ensemble.js';
import { GATE_QUANTITIES } from './lstm-cell.js';
import { traceLstm, type LstmTrace } from './lstm-trace.js';
import { directionWeights, lstmLayerInput, lstmLayers } from './layer-probe.js';

export type Direction = 'forward' | 'backward';

/** One layer and direction's i, f, g, o, c and h, [batch, time, hidden] each, in forward time order. */
export type LayerTrace = {
  /** 1-based, as a reader counts layers */
  layer: number;
  direction: Direction;
  trace: LstmTrace;
};

/**
 * Builtin and hand models alike (they share the weight layout): each LSTM layer's input comes from the model's own
 * layers below it (eval mode), and the equation-level cell steps it with that layer's weights. The backward
 * direction reads the reversed sequence and mask, as the layer does, and its trace is turned back to forward time
 * so that step t of every plot is the same moment. The caller disposes the traces.
 */
export function traceModel(model: tf.LayersModel, inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor2D): LayerTrace[] {
  const first = memberModels(model)[0]; // an ensemble's first member: its gates are one model's, as for a single model
  return lstmLayers(first).flatMap((layer, k) =>
    tf.tidy(() => {
      const input = lstmLayerInput(first, k, inputs); // [batch, time, features of that layer]
      const [forward, backward] = directionWeights(layer);
      const out: LayerTrace[] = [{ layer: k + 1, direction: 'forward', trace: traceLstm(input, forward, mask) }];
      if (backward) {
        const reversed = traceLstm(tf.reverse(input, 1), backward, mask && tf.reverse(mask, 1));
        const trace = Object.fromEntries(GATE_QUANTITIES.map((q) => [q, tf.reverse(reversed[q], 1)])) as LstmTrace;
        out.push({ layer: k + 1, direction: 'backward', trace });
      }
      return out;
    }),
  );
}
