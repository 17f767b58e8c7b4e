// The contract between the fused kernel and a backend's sequence kernels: their names and the buffers they fill.

/**
 * Kernels a backend may register to run a whole sequence, forward or backward, in one dispatch, and the weight
 * gradients' product dZᵀ·[X | H_prev | 1] after it (src/backend/wasm-lstm-sequence.ts does, for wasm, as part of
 * the fixed wasm kernels); elsewhere the steps run as tfjs ops. Same equations, same tests.
 */
export const LSTM_SEQUENCE_KERNELS = {
  forward: 'LstmFusedForward',
  backward: 'LstmFusedBackward',
  weightGradient: 'LstmFusedWeightGradient',
} as const;

/** What the backward pass needs from the forward one, all time-major; the sequence kernels fill and take them by name. */
export type ForwardTrace<T> = {
  /** [time*batch, input+H+1]  [X | H_prev | 1]: h_{t-1} (h_{-1} = 0) next to x_t, and a 1 */
  operands: T;
  /** [time, batch, 4H]  σ(k ⊙ z): i, f, (g+1)/2, o */
  gates: T;
  /** [time, batch, H]  tanh of each step's new cell state (before masking) */
  tanhC: T;
  /** [time, batch, H]  c after each step (carried over at padding) */
  cs: T;
};

/** The whole-sequence buffers a forward pass fills step by step: the outputs [batch, time, H], and maybe the trace. */
export type SequenceBuffers<T> = { outputs: T; trace?: ForwardTrace<T> };

const TRACE_ORDER = ['gates', 'tanhC', 'operands', 'cs'] as const;

/** The buffers as the forward kernel returns them after h and c (outputs, then the trace's), and takes them back. */
export function bufferList<T>(b: SequenceBuffers<T>): T[] {
  const trace = b.trace;
  return [b.outputs, ...(trace ? TRACE_ORDER.map((name) => trace[name]) : [])];
}

export function buffersOf<T>(list: T[]): SequenceBuffers<T> {
  const [outputs, gates, tanhC, operands, cs] = list;
  if (list.length === 1) return { outputs };
  if (list.length !== 5) throw new Error(`a forward sequence kernel returned ${list.length} buffers, expected 1 or 5`);
  return { outputs, trace: { gates, tanhC, operands, cs } };
}
