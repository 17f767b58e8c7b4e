// Categorical columns one-hot, by the vocabulary fitted on the training rows. Dependency-free.
import { oneHotNames, type Category } from '../features.js';
import type { Encoder } from './encoder.js';

/**
 * One input per level of each category (`weather=rain`, …). An empty cell, and a level the training rows did not
 * have, are all zeros; the latter are counted in the tally, by column.
 */
export function oneHotEncoder(categories: Category[], names = categories.flatMap(oneHotNames)): Encoder {
  return {
    names,
    bind(src, tally) {
      const columns = categories.map((c) => ({
        column: c.column,
        read: src.text(c.column),
        index: new Map(c.levels.map((l, i) => [l, i])),
        width: c.levels.length,
      }));
      return (row, out, at) => {
        let col = at;
        for (const c of columns) {
          out.fill(0, col, col + c.width);
          const level = c.read(row);
          const k = c.index.get(level);
          if (k !== undefined) out[col + k] = 1;
          else if (level !== '' && tally) tally.set(c.column, (tally.get(c.column) ?? 0) + 1);
          col += c.width;
        }
      };
    },
  };
}
