// The registry of sequence kernels the hand-written LSTM layer can run: model.kernel picks one by name.
import { lstmFused } from './lstm-fused.js';
import { lstmReference } from './lstm-reference.js';
import type { KernelName, LstmSequenceFn } from './types.js';

/**
 * Every kernel computes the same function (the LstmSequenceFn contract in types.ts); they differ only in speed:
 * reference steps through the equations (the teaching version), fused is the fast one (the default).
 */
export const KERNELS: Record<KernelName, LstmSequenceFn> = {
  reference: lstmReference,
  fused: lstmFused,
};

export const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

/** The kernel for a name; a name that is not a kernel is a programmer error (the config schema guards users). */
export function getKernel(name: KernelName): LstmSequenceFn {
  const kernel = KERNELS[name];
  if (kernel === undefined)
    throw new Error(`unknown LSTM kernel ${JSON.stringify(name)}; expected one of ${KERNEL_NAMES.join(', ')}`);
  return kernel;
}
