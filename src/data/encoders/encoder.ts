// The contract of an input encoder: fitted once on training rows, then run on any rows by every path. Dependency-free.
import type { RowSource } from './row-source.js';

/** A row writer: row `row` of the source's inputs, written at out[at … at + width). */
export type RowWriter = (row: number, out: Float32Array, at: number) => void;

/** Counts what an encoder met but could not encode (a level unseen in training), by column. */
export type Tally = Map<string, number>;

export interface Encoder {
  /** the inputs it writes, in order (their count is its width) */
  readonly names: string[];
  /** reads `src`: asks for its columns once, then writes a row per call */
  bind(src: RowSource, tally?: Tally): RowWriter;
}

/** The encoders one after another: each row's inputs in their order, `width` wide. */
export function concat(encoders: Encoder[]): Encoder {
  return {
    names: encoders.flatMap((e) => e.names),
    bind(src, tally) {
      const writers = encoders.map((e) => e.bind(src, tally));
      const offsets = encoders.map((_, i) => encoders.slice(0, i).reduce((n, e) => n + e.names.length, 0));
      return (row, out, at) => {
        for (let i = 0; i < writers.length; i++) writers[i](row, out, at + offsets[i]);
      };
    },
  };
}

/** Rows first … first + count − 1 of `src` through `write`, one row of `width` after another from out[at]. */
export function writeRows(write: RowWriter, first: number, count: number, out: Float32Array, width: number, at = 0) {
  for (let r = 0; r < count; r++) write(first + r, out, at + r * width);
}
