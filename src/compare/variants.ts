// The four LSTM variants a comparison trains side by side, and the model config each one runs.
import type { ModelConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';

export const VARIANTS = ['builtin', 'builtin-bi', 'hand', 'hand-bi'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The config's model with the variant's implementation and direction; layers, hiddenSize, dropout… stay. */
export function variantModel(base: ModelConfig, variant: Variant): ModelConfig {
  const impl = variant.startsWith('hand') ? 'hand' : 'builtin';
  return { ...base, impl, bidirectional: variant.endsWith('-bi'), ensemble: 1 }; // the race is of single models
}

export const isBidirectional = (v: Variant) => v.endsWith('-bi');

/** "builtin,hand-bi" → ['builtin', 'hand-bi'], in the canonical order, each once; unknown names are a ConfigError. */
export function parseVariants(list: string): Variant[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(VARIANTS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    const problem = names.length === 0 ? 'got nothing' : `got ${unknown.map((n) => JSON.stringify(n)).join(', ')}`;
    throw new ConfigError('--variants', [
      `--variants: expected a comma-separated list of ${VARIANTS.join(', ')}; ${problem}`,
    ]);
  }
  return VARIANTS.filter((v) => names.includes(v));
}
