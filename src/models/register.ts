// Import this before tf.loadLayersModel: it registers every custom layer class a saved model may contain.
import { SeededDropout } from './dropout.js';
import { HandLSTM } from './hand-lstm.js';
import { SequenceMask } from './sequence-mask.js';
import './tfjs-patches.js';

/** The custom layer classes, registered with tf.serialization when their modules load (listed for tests and docs). */
export const CUSTOM_LAYERS = [HandLSTM, SeededDropout, SequenceMask] as const;
