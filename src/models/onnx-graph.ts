// The checkpoint's model as one ONNX graph: the standard LSTM operator per layer, the head as Gemm (and Softmax).
import type * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import type { Head, ModelShape } from './build.js';
import { TOOL_VERSION } from '../util/versions.js';
import { memberLayer, memberModels, memberPrefix } from './ensemble.js';
import { lstmLayers } from './layer-probe.js';
import { LINEAR_SKIP } from './linear-skip.js';
import {
  encodeModel,
  intAttr,
  intsAttr,
  IR_VERSION,
  OPSET,
  stringAttr,
  tensor,
  valueInfo,
  DataType,
} from './onnx-proto.js';

/**
 * Weight layouts. Ours (tfjs, Keras) per direction: kernel U [input, 4H] and recurrent kernel V [H, 4H], their
 * columns in gate blocks i, f, c, o; one bias b [4H], same blocks. ONNX's LSTM: W [directions, 4H, input] and
 * R [directions, 4H, H], their rows in gate blocks i, o, f, c; B [directions, 8H] = Wb ‖ Rb.
 * So W[d][blockOnnx(g)·H + u][r] = U[r][g·H + u] (transpose, blocks reordered), R likewise from V, Wb = b in the
 * ONNX block order and Rb = 0 (we have one bias; ONNX adds the two). ONNX's default activations (σ for the gates,
 * tanh for the cell and output) are ours.
 */
const ONNX_BLOCK = [0, 2, 3, 1]; // our gate block g (i, f, c, o) sits at ONNX block ONNX_BLOCK[g] (i, o, f, c)

/** One direction's [rows, 4H] kernel (columns i, f, c, o) as ONNX's [4H, rows] (rows i, o, f, c). */
export function onnxGateMatrix(kernel: Float32Array, rows: number, hidden: number): Float32Array {
  const out = new Float32Array(4 * hidden * rows);
  for (let r = 0; r < rows; r++)
    for (let g = 0; g < 4; g++)
      for (let u = 0; u < hidden; u++)
        out[(ONNX_BLOCK[g] * hidden + u) * rows + r] = kernel[r * 4 * hidden + g * hidden + u];
  return out;
}

/** One direction's bias [4H] (i, f, c, o) as ONNX's Wb ‖ Rb [8H] (i, o, f, c; Rb zero). */
export function onnxBias(bias: Float32Array, hidden: number): Float32Array {
  const out = new Float32Array(8 * hidden);
  for (let g = 0; g < 4; g++) out.set(bias.subarray(g * hidden, (g + 1) * hidden), ONNX_BLOCK[g] * hidden);
  return out;
}

interface Graph {
  nodes: object[];
  initializers: ReturnType<typeof tensor>[];
}

const node = (opType: string, input: string[], output: string[], attribute: object[] = []) => ({
  opType,
  input,
  output,
  name: output.find((o) => o !== '') ?? opType,
  attribute,
});

const int64s = (values: number[]) => BigInt64Array.from(values, (v) => BigInt(v));

/** Layer k's W, R, B initializers from its tfjs weights (per direction: kernel, recurrent kernel, bias). */
function lstmInitializers(g: Graph, k: string, weights: tf.Tensor[], input: number, hidden: number): string[] {
  const directions = weights.length / 3;
  const stack = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  };
  const values = (w: tf.Tensor) => w.dataSync() as Float32Array;
  const per = Array.from({ length: directions }, (_, d) => weights.slice(3 * d, 3 * d + 3).map(values));
  const names = [`W_${k}`, `R_${k}`, `B_${k}`];
  g.initializers.push(
    tensor(names[0], [directions, 4 * hidden, input], stack(per.map(([u]) => onnxGateMatrix(u, input, hidden)))),
    tensor(names[1], [directions, 4 * hidden, hidden], stack(per.map(([, v]) => onnxGateMatrix(v, hidden, hidden)))),
    tensor(names[2], [directions, 8 * hidden], stack(per.map(([, , b]) => onnxBias(b, hidden)))),
  );
  return names;
}

/** A Dense layer's kernel and bias as `<name>_kernel` and `<name>_bias` initializers, for a Gemm. */
function denseInitializers(g: Graph, name: string, layer: tf.layers.Layer): void {
  const [kernel, bias] = layer.getWeights();
  g.initializers.push(tensor(`${name}_kernel`, kernel.shape, kernel.dataSync() as Float32Array));
  g.initializers.push(tensor(`${name}_bias`, bias.shape, bias.dataSync() as Float32Array));
}

interface MemberContext {
  model: ModelConfig;
  shape: ModelShape;
  /** '' or the name of the [batch] int32 sequence lengths */
  lengths: string;
}

/** One member's LSTM stack, head (and skip) from x, every name led by `prefix`; returns `out`, [batch, outputs]. */
function memberGraph(g: Graph, member: tf.LayersModel, prefix: string, out: string, c: MemberContext): string {
  const { model, shape, lengths } = c;
  const H = model.hiddenSize;
  const D = model.bidirectional ? 2 : 1;
  const n = (name: string) => `${prefix}${name}`;
  const lstms = lstmLayers(member);
  if (lstms.length !== model.layers)
    throw new Error(`onnxModel: expected ${model.layers} LSTM layers besides the head, found ${lstms.length}`);
  let input = 'x_time_major';
  let width = shape.features;
  for (let k = 1; k <= model.layers; k++) {
    const [W, R, B] = lstmInitializers(g, n(String(k)), lstms[k - 1].getWeights(), width, H);
    const last = k === model.layers;
    const attrs = [intAttr('hidden_size', H), stringAttr('direction', D === 2 ? 'bidirectional' : 'forward')];
    const inputs = lengths ? [input, W, R, B, lengths] : [input, W, R, B];
    g.nodes.push(node('LSTM', inputs, [last ? '' : n(`Y_${k}`), n(`Y_h_${k}`)], attrs));
    if (!last) {
      g.nodes.push(node('Transpose', [n(`Y_${k}`)], [n(`Y_${k}_t`)], [intsAttr('perm', [0, 2, 1, 3])])); // [steps, batch, D, H]
      g.nodes.push(node('Reshape', [n(`Y_${k}_t`), 'steps_shape'], [n(`h_${k}`)])); // [steps, batch, D·H]
      input = n(`h_${k}`);
      width = D * H;
    } else {
      g.nodes.push(node('Transpose', [n(`Y_h_${k}`)], [n(`Y_h_${k}_t`)], [intsAttr('perm', [1, 0, 2])])); // [batch, D, H]
      g.nodes.push(node('Reshape', [n(`Y_h_${k}_t`), 'features_shape'], [n('h')])); // [batch, D·H]
    }
  }
  denseInitializers(g, n('head'), memberLayer(member, 'head')!); // [D·H, outputs], [outputs]
  const skip = memberLayer(member, LINEAR_SKIP);
  g.nodes.push(node('Gemm', [n('h'), n('head_kernel'), n('head_bias')], [skip ? n('y_lstm') : out]));
  if (skip) {
    // the linear skip: y = y_lstm + flatten(x)·W + b, x flattened row-major [batch, steps·features] as tfjs does
    denseInitializers(g, n('skip'), skip); // [steps·features, outputs], [outputs]
    g.nodes.push(node('Flatten', ['x'], [n('x_window')], [intAttr('axis', 1)]));
    g.nodes.push(node('Gemm', [n('x_window'), n('skip_kernel'), n('skip_bias')], [n('y_skip')]));
    g.nodes.push(node('Add', [n('y_lstm'), n('y_skip')], [out]));
  }
  return out;
}

/**
 * x [batch, steps, features] (and mask [batch, steps]) → Transpose to [steps, batch, features] → LSTM × layers
 * (the mask as sequence_lens = Σ mask, so each sequence ends at its last real step: trailing padding, as lstm-train
 * pads) → Y_h [directions, batch, H] → [batch, directions·H] (forward ‖ backward, as tfjs concatenates) → Gemm
 * → y [batch, outputs] (with the linear skip: + Gemm of the flattened x; an ensemble: the Mean of its members'),
 * or Softmax → probabilities for a classifier. `rawHead` leaves the Softmax out (the output
 * is then the logits): lstm-predict takes the head's raw outputs, as it does from tfjs.
 */
export function onnxModel(
  source: tf.LayersModel,
  model: ModelConfig,
  shape: ModelShape,
  head: Head,
  metadata: Record<string, string>,
  { rawHead = false } = {},
): Uint8Array {
  const g: Graph = { nodes: [], initializers: [] };
  g.initializers.push(tensor('features_shape', [2], int64s([0, -1])));
  if (model.layers > 1) g.initializers.push(tensor('steps_shape', [3], int64s([0, 0, -1])));
  g.nodes.push(node('Transpose', ['x'], ['x_time_major'], [intsAttr('perm', [1, 0, 2])])); // [steps, batch, features]
  let lengths = '';
  if (shape.masked) {
    g.initializers.push(tensor('sum_axes', [1], int64s([1])));
    g.nodes.push(node('ReduceSum', ['mask', 'sum_axes'], ['mask_steps'], [intAttr('keepdims', 0)])); // [batch]
    g.nodes.push(node('Cast', ['mask_steps'], ['sequence_lens'], [intAttr('to', DataType.INT32)]));
    lengths = 'sequence_lens';
  }
  const joined = head === 'softmax' ? 'logits' : 'y';
  const softmax = head === 'softmax' && !rawHead;
  const output = softmax ? 'probabilities' : joined;
  const members = memberModels(source);
  const k = members.length;
  const outputs = members.map((m, j) =>
    memberGraph(g, m, memberPrefix(j, k), k === 1 ? joined : `${joined}_${j + 1}`, { model, shape, lengths }),
  );
  if (k > 1) g.nodes.push(node('Mean', outputs, [joined])); // the ensemble: the members' average
  if (softmax) g.nodes.push(node('Softmax', ['logits'], ['probabilities'], [intAttr('axis', 1)]));
  const inputs = [valueInfo('x', ['batch', shape.steps, shape.features])];
  if (shape.masked) inputs.push(valueInfo('mask', ['batch', shape.steps]));
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'lstm-train',
    producerVersion: TOOL_VERSION,
    docString: 'lstm-export: scaled inputs in, scaled outputs (or class probabilities) out; see metadata "preprocess"',
    graph: {
      name: 'lstm_train',
      node: g.nodes,
      initializer: g.initializers,
      input: inputs,
      output: [valueInfo(output, ['batch', shape.outputSize])],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  });
}
