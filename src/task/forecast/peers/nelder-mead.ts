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

// The simplex's arithmetic in small functions of their own: V8 compiles these once, hot from the first model on,
// where the loop around them is compiled again for each objective it is given.

/** out = from + t (to − from): a point on the line through two vertices. */
function along(out: Float64Array, from: Float64Array, to: Float64Array, t: number): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = from[i] + t * (to[i] - from[i]);
  return out;
}

/** The centroid of every vertex but `high`, as Σ v/n over them in order (`scaled` holds each v/n). */
function centroidOf(out: Float64Array, scaled: Float64Array[], high: number): void {
  out.fill(0);
  for (let j = 0; j < scaled.length; j++) {
    if (j === high) continue;
    const v = scaled[j];
    for (let i = 0; i < out.length; i++) out[i] += v[i];
  }
}

/** out = x / n, element by element. */
function scaleInto(out: Float64Array, x: Float64Array, n: number): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i] / n;
}

/**
 * Minimises `f` from `start`: reflection 1, contraction 0.5, expansion 2, shrinking towards the best vertex. `f` must
 * not keep the array it is given: the trial points are buffers used again.
 */
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
  const vertices: Float64Array[] = [Float64Array.from(start)];
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
  // Without allocating: each vertex keeps its coordinates over n beside it (the centroid sums those, in the order
  // and with the rounding of Σ v/n), and the trial points are buffers swapped in when accepted.
  const scaled = vertices.map((v) => v.map((a) => a / n));
  const centroid = new Float64Array(n);
  let [reflected, expanded, contracted]: Float64Array[] = [
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
  ];
  const accept = (j: number, x: Float64Array, v: number) => {
    const old = vertices[j];
    vertices[j] = x;
    values[j] = v;
    scaleInto(scaled[j], x, n);
    return old;
  };
  for (;;) {
    let low = 0;
    let high = 0;
    for (let j = 1; j <= n; j++) {
      if (values[j] < values[low]) low = j;
      if (values[j] > values[high]) high = j;
    }
    if (values[high] <= values[low] + convergence || evaluations > maxEvaluations) break;
    centroidOf(centroid, scaled, high);
    const reflectedValue = value(along(reflected, centroid, vertices[high], -1));
    if (reflectedValue < values[low]) {
      const expandedValue = value(along(expanded, centroid, reflected, 2));
      if (expandedValue < reflectedValue) expanded = accept(high, expanded, expandedValue);
      else reflected = accept(high, reflected, reflectedValue);
      continue;
    }
    const highValue = values[high];
    if (reflectedValue < highValue) reflected = accept(high, reflected, reflectedValue);
    const contractedValue = value(along(contracted, vertices[high], centroid, 0.5));
    if (contractedValue < values[high]) {
      contracted = accept(high, contracted, contractedValue);
      continue;
    }
    if (reflectedValue < highValue) continue;
    size = 0;
    for (let j = 0; j <= n; j++) {
      if (j === low) continue;
      along(vertices[j], vertices[low], vertices[j], 0.5);
      for (let i = 0; i < n; i++) size += Math.abs(vertices[j][i] - vertices[low][i]);
      accept(j, vertices[j], value(vertices[j]));
    }
    if (size >= lastSize) break; // the simplex no longer shrinks: as far as this method goes
    lastSize = size;
  }
  let best = 0;
  for (let j = 1; j <= n; j++) if (values[j] < values[best]) best = j;
  return { x: vertices[best], value: values[best], evaluations };
}
