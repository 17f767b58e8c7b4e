// Our own LSTM layer (uni- or bidirectional) on the shared weight layout, running a kernel from kernels.ts.
import * as tf from '@tensorflow/tfjs';
import { getKernel } from './kernels.js';
import type { KernelName, LstmResult, LstmWeights } from './types.js';

export interface HandLstmArgs {
  units: number;
  returnSequences?: boolean;
  bidirectional?: boolean;
  kernel?: KernelName;
  name?: string;
  inputShape?: tf.Shape;
  trainable?: boolean;
}

const DEFAULT_KERNEL: KernelName = 'fused';
const DIRECTIONS = { uni: [''], bi: ['forward_', 'backward_'] };

/**
 * A drop-in for tf.layers.lstm (and tf.layers.bidirectional around it, mergeMode 'concat'): the same weights in
 * the same order (per direction: kernel [input, 4H], recurrent_kernel [H, 4H], bias [4H]; forward then backward),
 * so `setWeights(builtin.getWeights())` moves a model between the two unchanged. Consumes the `mask` kwarg and
 * passes it on when it returns sequences, like tfjs's RNN.
 *
 * Bidirectional (as Keras): the backward LSTM reads the reversed sequence and reversed mask; its outputs are
 * reversed back so both halves of the concatenation describe the same time step.
 */
export class HandLSTM extends tf.layers.Layer {
  static className = 'HandLSTM';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly bidirectional: boolean;
  readonly kernelName: KernelName;
  private directionWeights: LstmVariables[] = [];

  constructor(args: HandLstmArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0)
      throw new Error(`HandLSTM: expected units to be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.bidirectional = args.bidirectional ?? false;
    this.kernelName = args.kernel ?? DEFAULT_KERNEL;
    getKernel(this.kernelName); // fail at construction, not at the first batch
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputSize = shape[shape.length - 1];
    if (shape.length !== 3 || inputSize === null)
      throw new Error(`HandLSTM: expected input shape [batch, time, features], got ${JSON.stringify(shape)}`);
    const H = this.units;
    const zeros = tf.initializers.zeros(); // build/init.ts sets the values from the seeded Rng
    this.directionWeights = (this.bidirectional ? DIRECTIONS.bi : DIRECTIONS.uni).map((prefix) => ({
      kernel: this.addWeight(`${prefix}kernel`, [inputSize, 4 * H], 'float32', zeros),
      recurrentKernel: this.addWeight(`${prefix}recurrent_kernel`, [H, 4 * H], 'float32', zeros),
      bias: this.addWeight(`${prefix}bias`, [4 * H], 'float32', zeros),
    }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const width = this.units * (this.bidirectional ? 2 : 1);
    return this.returnSequences ? [shape[0], shape[1], width] : [shape[0], width];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { mask?: tf.Tensor }): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D; // [batch, time, input]
      const mask = kwargs?.mask == null ? undefined : (tf.cast(kwargs.mask, 'float32') as tf.Tensor2D); // [batch, time]
      const run = getKernel(this.kernelName);
      const forward = run(x, this.readWeights(0), mask);
      if (!this.bidirectional) return this.returnSequences ? forward.outputs : forward.h;
      const backward = run(tf.reverse(x, 1), this.readWeights(1), mask && tf.reverse(mask, 1));
      return this.merge(forward, backward);
    });
  }

  /** Concatenates the two directions on the feature axis, the backward outputs put back in forward time order. */
  private merge(forward: LstmResult, backward: LstmResult): tf.Tensor {
    if (!this.returnSequences) return tf.concat([forward.h, backward.h], 1); // [batch, 2*hidden]
    return tf.concat([forward.outputs, tf.reverse(backward.outputs, 1)], 2); // [batch, time, 2*hidden]
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const m = Array.isArray(mask) ? mask[0] : mask;
    // null means "no mask" to tfjs at runtime (its RNN returns it too), though its type says Tensor.
    return (this.returnSequences && m != null ? m : null) as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = {
      units: this.units,
      returnSequences: this.returnSequences,
      bidirectional: this.bidirectional,
      kernel: this.kernelName,
    };
    return { ...super.getConfig(), ...config };
  }

  private readWeights(direction: number): LstmWeights {
    const w = this.directionWeights[direction];
    return {
      kernel: w.kernel.read() as tf.Tensor2D,
      recurrentKernel: w.recurrentKernel.read() as tf.Tensor2D,
      bias: w.bias.read() as tf.Tensor1D,
    };
  }
}
tf.serialization.registerClass(HandLSTM);

interface LstmVariables {
  kernel: tf.LayerVariable;
  recurrentKernel: tf.LayerVariable;
  bias: tf.LayerVariable;
}
