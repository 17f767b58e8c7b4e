// Metrics as pure functions of true and predicted values (original units); shared by lstm-train and lstm-eval.

export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  /** mean absolute percentage error in %, over the non-zero targets */
  mape: number;
  /** targets equal to zero, skipped by MAPE */
  mapeSkipped: number;
  r2: number;
  count: number;
}

/** Metrics of one target column: yTrue and yPred are [n, targets] row-major; `column` picks the target. */
export function regressionMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  targets = 1,
  column = 0,
): RegressionMetrics {
  const n = yTrue.length / targets;
  let se = 0,
    ae = 0,
    ape = 0,
    apeCount = 0,
    sum = 0;
  for (let r = 0; r < n; r++) {
    const t = yTrue[r * targets + column];
    const e = yPred[r * targets + column] - t;
    se += e * e;
    ae += Math.abs(e);
    sum += t;
    if (t !== 0) {
      ape += Math.abs(e / t);
      apeCount++;
    }
  }
  const mean = sum / n;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += (yTrue[r * targets + column] - mean) ** 2;
  const mse = se / n;
  return {
    mse,
    rmse: Math.sqrt(mse),
    mae: ae / n,
    mape: apeCount > 0 ? (100 * ape) / apeCount : NaN,
    mapeSkipped: n - apeCount,
    r2: ss > 0 ? 1 - se / ss : NaN,
    count: n,
  };
}

/** Mean absolute error over every target: the forecast task's headline metric. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let ae = 0;
  for (let i = 0; i < yTrue.length; i++) ae += Math.abs(yPred[i] - yTrue[i]);
  return ae / yTrue.length;
}

/** Skill against a baseline: 1 − MAE_model / MAE_baseline (> 0 beats it, ≤ 0 does not). */
export function skill(maeModel: number, maeBaseline: number): number {
  return maeBaseline > 0 ? 1 - maeModel / maeBaseline : NaN;
}

/** Index of the largest value in each row of [n, classes] scores. */
export function argmaxRows(scores: ArrayLike<number>, classes: number): Int32Array {
  const n = scores.length / classes;
  const out = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[r * classes + c] > scores[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}

export function accuracy(labels: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predicted[i]) hit++;
  return labels.length > 0 ? hit / labels.length : NaN;
}

/** matrix[true][predicted] counts. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision, recall, F1 and support from a confusion matrix; precision of a never-predicted class is 0. */
export function perClassMetrics(matrix: number[][]): ClassMetrics[] {
  return matrix.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, r) => a + r[c], 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

export function macroF1(perClass: ClassMetrics[]): number {
  return perClass.reduce((a, m) => a + m.f1, 0) / perClass.length;
}

/** Accuracy of always predicting the most frequent class of `labels`. */
export function majorityBaseline(labels: ArrayLike<number>, classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return labels.length > 0 ? Math.max(...counts) / labels.length : NaN;
}
