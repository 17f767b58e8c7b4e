// A task's implementation is written against its own data types; the interface every caller uses checks, in one
// place, that each value with a `task` it is handed is that task's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { taskOf } from '../../src/task/index.js';
import type { Dataset } from '../../src/data/types.js';
import type { Predictions } from '../../src/task/index.js';

test("each task refuses another task's dataset or predictions, naming both", () => {
  const classifyData = { task: 'classify' } as unknown as Dataset;
  const forecastPredictions = { task: 'forecast' } as unknown as Predictions;
  assert.throws(() => taskOf('forecast').metricScope(classifyData), /the forecast task was handed "classify" data/);
  assert.throws(
    () => taskOf('classify').headline(forecastPredictions, classifyData),
    /the classify task was handed "forecast" data/,
  );
  assert.equal(taskOf('classify').metricScope(classifyData), '', 'its own kind passes through to the implementation');
});
