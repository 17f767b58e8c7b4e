// A forecast row's inputs, in the model's order: numeric (scaled), one-hot, calendar, known-future. Dependency-free:
// the loader (lstm-train, lstm-eval, lstm-predict) and predict.js (exports, lstm-serve) both encode rows with it.
import type { TimeForm } from '../time.js';
import type { FeatureLayout, Scaler } from '../types.js';
import { calendarEncoder } from './calendar.js';
import { concat, type Encoder } from './encoder.js';
import { futureEncoder } from './future.js';
import { numericEncoder } from './numeric.js';
import { oneHotEncoder } from './one-hot.js';

export { concat, writeRows, type Encoder, type RowWriter, type Tally } from './encoder.js';
export { jsonRows, matrixSource, timesSource, CellError, type JsonRow, type RowSource } from './row-source.js';
export { calendarEncoder } from './calendar.js';
export { numericEncoder, unscale } from './numeric.js';

/**
 * The encoders of a forecast model's inputs, fitted: `featureScaler` is the numeric columns' (a series' own with
 * scaleBy "series"); calendar features need the time's form. The names are the model's input names.
 */
export function forecastEncoders(layout: FeatureLayout, featureScaler: Scaler, form?: TimeForm): Encoder[] {
  return [
    numericEncoder(featureScaler, layout.numeric),
    oneHotEncoder(layout.categories),
    ...(layout.calendar.length > 0 ? [calendarEncoder(layout.calendar, form)] : []),
    ...(layout.future ? [futureEncoder(layout.future)] : []),
  ];
}

/** The input encoder of a forecast row (every group one after another). */
export const forecastInputs = (layout: FeatureLayout, featureScaler: Scaler, form?: TimeForm): Encoder =>
  concat(forecastEncoders(layout, featureScaler, form));

/** A forecast model's input names, in order, from its layout alone. */
export const forecastInputNames = (layout: FeatureLayout): string[] =>
  forecastInputs(layout, { kind: 'none', columns: layout.numeric, offset: [], scale: [] }).names;
