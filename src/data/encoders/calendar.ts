// Calendar features from a row's time: each the sine and cosine of its phase. Dependency-free.
import { calendarPhase, type CalendarFeature } from '../calendar.js';
import { calendarNames } from '../features.js';
import type { TimeForm } from '../time.js';
import type { Encoder } from './encoder.js';

const TAU = 2 * Math.PI;

/**
 * `hourOfDay_sin`, `hourOfDay_cos`, … of each row's time, on the file's wall clock (`form`'s zone); zeros without a
 * time column (the config's check refuses calendar features without one).
 */
export function calendarEncoder(features: CalendarFeature[], form: TimeForm | undefined): Encoder {
  return {
    names: features.flatMap(calendarNames),
    bind(src) {
      if (form === undefined) return (_row, out, at) => void out.fill(0, at, at + 2 * features.length);
      const time = src.time();
      return (row, out, at) => {
        const t = time(row);
        for (let k = 0; k < features.length; k++) {
          const phase = TAU * calendarPhase(features[k], t, form);
          out[at + 2 * k] = Math.sin(phase);
          out[at + 2 * k + 1] = Math.cos(phase);
        }
      };
    },
  };
}
