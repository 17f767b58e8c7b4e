// Where and why two LSTMs that should agree do not: the first layer, direction, time step and gate, and the cause.
import * as tf from '@tensorflow/tfjs';
import { GATE_QUANTITIES, lstmGates, type GateQuantity } from '../models/lstm-cell.js';
import { traceLstm, type LstmTrace } from '../models/lstm-trace.js';
import type { LstmWeights } from '../models/types.js';
import { CELL_HYPOTHESES, type Hypothesis } from './hypotheses.js';
import { directionWeights, layerSequence, lstmLayerInput, lstmLayers } from '../models/layer-probe.js';

export type Quantity = GateQuantity;

/** One direction read by the equations, or by a mistaken cell. */
function run(x: tf.Tensor3D, w: LstmWeights, mask: tf.Tensor2D | undefined, hypothesis?: Hypothesis): LstmTrace {
  return traceLstm(x, hypothesis?.weights ? hypothesis.weights(w) : w, mask, hypothesis?.activation);
}

export type Diagnosis = {
  /** the departing model's layer, e.g. "lstm_1" */
  layer: string;
  /** the model whose layer departs from the equations */
  implementation: string;
  direction: 'forward' | 'backward' | 'merge';
  /** first time step (0-based, forward time) whose output departs */
  step: number;
  /** the first of i, f, g, o, c, h that differs at that step */
  quantity: Quantity;
  /** the usual mistake that reproduces the layer's outputs exactly, or a note that none does */
  cause: string;
  explained: boolean;
  /** max |layer output − equations| */
  maxDiff: number;
};

export interface Candidate {
  name: string;
  model: tf.LayersModel;
}

export const NO_CAUSE =
  'none of the usual causes (hardSigmoid, forget bias, gate order, bidirectional merge/time alignment) reproduces it';

export const maxAbs = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** The first index on the time axis (1) of [batch, time, H] tensors where they differ by more than `tol`. */
function firstStep(a: tf.Tensor3D, b: tf.Tensor3D, tol: number): number {
  const perStep = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b)), [0, 2]).dataSync());
  const t = perStep.findIndex((d) => d > tol);
  return t < 0 ? 0 : t;
}

const stepOf = (x: tf.Tensor3D, t: number) => tf.squeeze<tf.Tensor2D>(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]);

/**
 * Steps each LSTM layer of every candidate against the equations (lstmCell's math, stepped here with every gate
 * kept) on the same input, the first candidate's features at that depth. At the first layer where a candidate
 * departs, names the first divergent step and quantity and tests the usual causes as hypotheses. An empty result
 * means every LSTM layer agrees with the equations: the difference lies after them or only in the gradients.
 */
export function diagnose(
  candidates: Candidate[],
  inputs: tf.Tensor | tf.Tensor[],
  mask: tf.Tensor2D | undefined,
  tol: number,
): Diagnosis[] {
  const depth = lstmLayers(candidates[0].model).length;
  for (let k = 0; k < depth; k++) {
    const found = tf.tidy(() => {
      const input = lstmLayerInput(candidates[0].model, k, inputs);
      return candidates.flatMap((c) => diagnoseLayer(c, lstmLayers(c.model)[k], input, mask, tol) ?? []);
    });
    if (found.length > 0) return found;
  }
  return [];
}

function diagnoseLayer(
  c: Candidate,
  layer: tf.layers.Layer,
  input: tf.Tensor3D,
  mask: tf.Tensor2D | undefined,
  tol: number,
): Diagnosis | undefined {
  const observed = layerSequence(layer, input, mask); // [batch, time, H·directions]
  const weights = directionWeights(layer);
  const bi = weights.length === 2;
  const forward = run(input, weights[0], mask);
  const reversedInput = tf.reverse<tf.Tensor3D>(input, 1);
  const reversedMask = mask && tf.reverse<tf.Tensor2D>(mask, 1);
  const backward = bi ? run(reversedInput, weights[1], reversedMask) : undefined;
  const expected = backward ? tf.concat([forward.h, tf.reverse(backward.h, 1)], 2) : forward.h;
  const maxDiff = maxAbs(observed, expected);
  if (maxDiff <= tol) return undefined;
  const base = { layer: layer.name, implementation: c.name, maxDiff };
  if (backward) {
    const merge = mergeHypotheses(forward.h, backward.h, () => run(input, weights[1], mask).h);
    const hit = merge.find((m) => maxAbs(observed, m.output) <= tol);
    if (hit)
      return {
        ...base,
        direction: 'merge',
        step: firstStep(observed, expected, tol),
        quantity: 'h',
        cause: hit.cause,
        explained: true,
      };
  }
  const H = weights[0].recurrentKernel.shape[0];
  const forwardHalf = tf.slice(observed, [0, 0, 0], [-1, -1, H]);
  if (maxAbs(forwardHalf, forward.h) > tol)
    return { ...base, direction: 'forward', ...explainDirection(forwardHalf, forward, input, weights[0], mask, tol) };
  const backwardHalf = tf.reverse<tf.Tensor3D>(tf.slice(observed, [0, 0, H], [-1, -1, H]), 1); // processing order
  const found = explainDirection(backwardHalf, backward!, reversedInput, weights[1], reversedMask, tol);
  return { ...base, direction: 'backward', ...found, step: input.shape[1] - 1 - found.step };
}

/** The usual bidirectional wiring mistakes, as the layer outputs they would produce. */
function mergeHypotheses(forward: tf.Tensor3D, backwardProc: tf.Tensor3D, backwardUnreversed: () => tf.Tensor3D) {
  return [
    {
      cause: 'bidirectional merge order: the backward half comes first',
      output: tf.concat([tf.reverse(backwardProc, 1), forward], 2),
    },
    {
      cause: 'bidirectional time alignment: the backward outputs are not reversed back to forward time',
      output: tf.concat([forward, backwardProc], 2),
    },
    {
      cause: 'bidirectional time alignment: the backward LSTM reads the sequence forwards',
      output: tf.concat([forward, backwardUnreversed()], 2),
    },
  ];
}

/** In one direction (processing order): the first divergent step, the hypothesis that reproduces it, and its first differing quantity. */
function explainDirection(
  observed: tf.Tensor3D,
  truth: { h: tf.Tensor3D; c: tf.Tensor3D },
  x: tf.Tensor3D,
  w: LstmWeights,
  mask: tf.Tensor2D | undefined,
  tol: number,
): { step: number; quantity: Quantity; cause: string; explained: boolean } {
  const step = firstStep(observed, truth.h, tol);
  const hit = CELL_HYPOTHESES.find((hyp) => maxAbs(run(x, w, mask, hyp).h, observed) <= tol);
  if (!hit) return { step, quantity: 'h', cause: NO_CAUSE, explained: false };
  return { step, quantity: firstQuantity(x, truth, w, step, hit, tol), cause: hit.cause, explained: true };
}

/** From the state both agree on before `step`, the first of i, f, g, o, c, h that the mistaken cell changes. */
function firstQuantity(
  x: tf.Tensor3D,
  truth: { h: tf.Tensor3D; c: tf.Tensor3D },
  w: LstmWeights,
  step: number,
  hypothesis: Hypothesis,
  tol: number,
): Quantity {
  return tf.tidy(() => {
    const [batch, , H] = truth.h.shape;
    const prev = {
      h: step === 0 ? tf.zeros<tf.Rank.R2>([batch, H]) : stepOf(truth.h, step - 1),
      c: step === 0 ? tf.zeros<tf.Rank.R2>([batch, H]) : stepOf(truth.c, step - 1),
    };
    const right = lstmGates(stepOf(x, step), prev, w);
    const wrong = lstmGates(stepOf(x, step), prev, hypothesis.weights?.(w) ?? w, hypothesis.activation);
    return GATE_QUANTITIES.find((q) => maxAbs(right[q], wrong[q]) > tol) ?? 'h';
  });
}

/** One line: "builtin lstm_1 (forward direction) departs from the equations at time step 0, first in i: …". */
export function describeDiagnosis(d: Diagnosis): string {
  const where = d.direction === 'merge' ? 'bidirectional merge' : `${d.direction} direction`;
  const why = d.explained ? `caused by ${d.cause}` : d.cause;
  return `${d.implementation} ${d.layer} (${where}) departs from the equations at time step ${d.step}, first in ${d.quantity}: ${why}`;
}
