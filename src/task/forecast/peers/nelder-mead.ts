// Nelder–Mead minimisation as in Nash's Compact Numerical Methods (Algorithm 19): the variant behind R's optim and
// forecast::ets, with its start (one step, 10% of the largest parameter, along every axis) and its stopping rule.

/** What a non-finite objective counts as: the point is rejected, never chosen. */
const BIG = 1e35;

export interface NelderMeadOptions {
  /** stop once the simplex's values are this close, relative to the start's value (R: sqrt(machine epsilon)) */
  relTol?: number;
  /** stop after this many evaluations of the objective (R's ets: 2000) */
  maxEvaluations?: number;
}

export interface Minimum {
  x: Float64Array;
  value: number;
  evaluations: number;
}

/** Minimises `f` from `start`: reflection 1, contraction 0.5, expansion 2, shrinking towards the best vertex. */
export function nelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  o: NelderMeadOptions = {},
): Minimum {
  const relTol = o.relTol ?? Math.sqrt(2.220446049250313e-16);
  const maxEvaluations = o.maxEvaluations ?? 2000;
  const n = start.length;
  let evaluations = 0;
  const value = (x: Float64Array) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : BIG;
  };
  const vertices = [Float64Array.from(start)];
  const first = value(vertices[0]);
  if (first >= BIG) return { x: vertices[0], value: first, evaluations };
  const values = [first];
  const convergence = relTol * (Math.abs(first) + relTol);
  let step = 0;
  for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(start[i]));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from(start);
    let trial = step;
    while (v[j] === start[j]) {
      v[j] = start[j] + trial; // a step lost to rounding next to a large value: a larger one
      trial *= 10;
    }
    size += trial;
    vertices.push(v);
    values.push(value(v));
  }
  let lastSize = size;
  const centroid = new Float64Array(n);
  const along = (from: Float64Array, to: Float64Array, t: number) => from.map((a, i) => a + t * (to[i] - a));
  for (;;) {
    let [low, high] = [0, 0];
    for (let j = 1; j <= n; j++) {
      if (values[j] < values[low]) low = j;
      if (values[j] > values[high]) high = j;
    }
    if (values[high] <= values[low] + convergence || evaluations > maxEvaluations) break;
    centroid.fill(0);
    for (let j = 0; j <= n; j++) if (j !== high) for (let i = 0; i < n; i++) centroid[i] += vertices[j][i] / n;
    const reflected = along(centroid, vertices[high], -1);
    const reflectedValue = value(reflected);
    if (reflectedValue < values[low]) {
      const expanded = along(centroid, reflected, 2);
      const expandedValue = value(expanded);
      const better = expandedValue < reflectedValue;
      vertices[high] = better ? expanded : reflected;
      values[high] = better ? expandedValue : reflectedValue;
      continue;
    }
    const highValue = values[high];
    if (reflectedValue < highValue) [vertices[high], values[high]] = [reflected, reflectedValue];
    const contracted = along(vertices[high], centroid, 0.5);
    const contractedValue = value(contracted);
    if (contractedValue < values[high]) {
      [vertices[high], values[high]] = [contracted, contractedValue];
      continue;
    }
    if (reflectedValue < highValue) continue;
    size = 0;
    for (let j = 0; j <= n; j++) {
      if (j === low) continue;
      vertices[j] = along(vertices[low], vertices[j], 0.5);
      for (let i = 0; i < n; i++) size += Math.abs(vertices[j][i] - vertices[low][i]);
      values[j] = value(vertices[j]);
    }
    if (size >= lastSize) break; // the simplex no longer shrinks: as far as this method goes
    lastSize = size;
  }
  let best = 0;
  for (let j = 1; j <= n; j++) if (values[j] < values[best]) best = j;
  return { x: vertices[best], value: values[best], evaluations };
}
