// The penalty of a ridge towards a prior, chosen on more than one window: a short series has one val window, whose
// error says little, so each training block is also predicted by the fit of the others (blocked cross-validation).
// Everything is read from normal equations: a fit's squared error on windows is WᵀAW − 2WᵀB + ΣY² of theirs.

/** The normal equations of some windows: XᵀX [d, d], XᵀY [d, m], ΣY² and how many windows. */
export interface Equations {
  xtx: Float64Array;
  xty: Float64Array;
  yty: number;
  count: number;
}

/** The squared error of weights `w` [d, m] on the windows `e` holds. */
export function squaredError(e: Equations, w: Float32Array, d: number, m: number): number {
  let sum = e.yty;
  for (let c = 0; c < m; c++)
    for (let i = 0; i < d; i++) {
      const wi = w[i * m + c];
      if (wi === 0) continue;
      let quad = 0;
      for (let j = 0; j < d; j++) quad += e.xtx[i * d + j] * w[j * m + c];
      sum += wi * (quad - 2 * e.xty[i * m + c]);
    }
  return sum;
}

/** a − b, entry by entry (the equations of every window but b's). */
function without(a: Equations, b: Equations): Equations {
  return {
    xtx: a.xtx.map((v, i) => v - b.xtx[i]),
    xty: a.xty.map((v, i) => v - b.xty[i]),
    yty: a.yty - b.yty,
    count: a.count - b.count,
  };
}

/**
 * The penalty (of `penalties`) whose fits have the least squared error per window, pooled over each training block
 * predicted by the fit of the other blocks, and the val windows predicted by the fit of all training windows.
 */
export function crossValidatedPenalty(
  o: { folds: Equations[]; all: Equations; val?: Equations; d: number; m: number },
  penalties: number[],
  fit: (e: Equations, penalty: number) => Float32Array | undefined,
): number | undefined {
  const { folds, all, val, d, m } = o;
  const rest = folds.map((f) => without(all, f));
  let [best, least] = [undefined as number | undefined, Infinity];
  for (const penalty of penalties) {
    let [sum, count] = [0, 0];
    folds.forEach((f, k) => {
      const w = f.count > 0 ? fit(rest[k], penalty) : undefined;
      if (w === undefined) return;
      sum += squaredError(f, w, d, m);
      count += f.count;
    });
    const w = val && val.count > 0 ? fit(all, penalty) : undefined;
    if (val && w) [sum, count] = [sum + squaredError(val, w, d, m), count + val.count];
    if (count > 0 && sum / count < least) [best, least] = [penalty, sum / count];
  }
  return best;
}
