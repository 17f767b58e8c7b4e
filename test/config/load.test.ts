import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, configJsonSchema, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'lstm-config-'));
function writeConfig(name: string, body: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return path;
}
function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail('expected the config to be rejected');
}
const forecast = { task: 'forecast', path: 'data.csv', targets: ['value'] };

test('defaults are filled in and paths resolve against the config folder', () => {
  const config = loadConfig(writeConfig('ok.json', { data: forecast, output: { dir: 'out' } }));
  assert.equal(config.data.path, join(dir, 'data.csv'));
  assert.equal(config.output.dir, join(dir, 'out'));
  assert.equal(config.model.impl, 'hand', 'the fast path by default');
  assert.equal(config.model.kernel, 'fused');
  assert.equal(config.model.init, 'pytorch');
  assert.equal(config.train.optimizer, 'adam');
  assert.equal(config.train.earlyStopping.patience, 5);
  assert.equal(config.data.task === 'forecast' && config.data.window, 32);
  assert.deepEqual(config.data.split, { train: 0.7, val: 0.15, test: 0.15 });
});

test('every problem is reported at once with its JSON path, what was expected and what was found', () => {
  const found = problems(() =>
    parseConfig(
      {
        data: { ...forecast, window: 0 },
        model: { hiddenSize: -3 },
        train: { learningrate: 0.1, epochs: 1.5 },
        backend: 'gpu',
      },
      'x.json',
    ),
  );
  assert.ok(found.includes('model.hiddenSize: expected a positive integer, got -3'), found.join('\n'));
  assert.ok(found.includes('data.window: expected a positive integer, got 0'), found.join('\n'));
  assert.ok(found.includes('train.epochs: expected a positive integer, got 1.5'), found.join('\n'));
  assert.ok(found.includes('train.learningrate: unknown key; did you mean "learningRate"?'), found.join('\n'));
  assert.ok(
    found.some((p) => p.startsWith('backend: expected one of "auto", "tensorflow", "wasm", "cpu", got "gpu"')),
    found.join('\n'),
  );
  assert.equal(found.length, 5);
});

test('unknown keys in a task-specific section suggest that task’s keys only', () => {
  const found = problems(() => parseConfig({ data: { ...forecast, windw: 8 } }, 'x.json'));
  assert.deepEqual(found, ['data.windw: unknown key; did you mean "window"?']);
  const far = problems(() => parseConfig({ data: forecast, zebra: 1 }, 'x.json'));
  assert.match(far[0], /^zebra: unknown key; expected one of name, seed, backend/);
});

test('classify layouts require their own fields; splits must sum to 1', () => {
  assert.deepEqual(
    problems(() => parseConfig({ data: { task: 'classify', path: 'a.csv', layout: 'long' } }, 'x')),
    ['data.sequenceId: expected a column name for the long layout, got nothing'],
  );
  assert.deepEqual(
    problems(() => parseConfig({ data: { task: 'classify', path: 'a.csv' } }, 'x')),
    ['data.steps: expected a positive integer for the wide layout, got nothing'],
  );
  assert.deepEqual(
    problems(() => parseConfig({ data: { ...forecast, split: { train: 0.5, val: 0.2, test: 0.2 } } }, 'x')),
    ['data.split: expected train + val + test to sum to 1, got 0.9'],
  );
  assert.deepEqual(
    problems(() => parseConfig({ data: { task: 'regress', path: 'a' } }, 'x')),
    ['data.task: expected one of "forecast", "classify", got "regress"'],
  );
  assert.deepEqual(
    problems(() => parseConfig({}, 'x')),
    ['data: missing; expected an object'],
  );
});

test('invalid JSON names the file, line and column', () => {
  const path = writeConfig('broken.json', '{\n  "name": "x",\n  "data": { "task": "forecast", }\n}');
  assert.throws(
    () => loadConfig(path),
    (e: Error) => e instanceof ConfigError && e.message.includes(`${path}:3:`) && /expected valid JSON/.test(e.message),
  );
  assert.throws(() => loadConfig(join(dir, 'missing.json')), /cannot read the config file \(no such file\)/);
});

test('the JSON Schema is derived from the zod schema, with descriptions and defaults', () => {
  const schema = configJsonSchema() as any;
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.properties.model.properties.hiddenSize.default, 64);
  assert.match(schema.properties.model.properties.init.description, /pytorch/);
  assert.ok(schema.properties.data.oneOf.length === 2);
});

test("every shipped config writes its runs to the repository's runs/, where the README's commands look", () => {
  const root = join(import.meta.dirname, '..', '..');
  const configs = readdirSync(join(root, 'configs')).filter((f) => f.endsWith('.json') && !f.endsWith('-space.json'));
  assert.ok(configs.length >= 6, configs.join(', '));
  for (const name of configs)
    assert.equal(loadConfig(join(root, 'configs', name)).output.dir, join(root, 'runs'), `configs/${name}`);
});
