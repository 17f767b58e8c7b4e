// The differential test's harness (differential-forecast.test.ts, differential-classify.test.ts): the same raw rows
// through every way a model is asked: lstm-predict (the real CLI, on a CSV file), the predict.js lstm-export writes
// now (JSON rows, and the CSV text through its own parseCsv) and lstm-serve of the checkpoint (JSON and CSV bodies).
// The models are the v2 fixtures' (test/fixtures/v2), so nothing is trained. Every way gives the same rows (1e-6,
// relative to the row's largest magnitude) or every way refuses, each message naming the column of the bad cell.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DATA, post, ROOT, runCli, startServe, tempDir, type Server } from '../cli/helpers.js';
import { assertSameNumbers, predictJsOf, v2Fixture, type V2Name } from '../checkpoint/v2-fixtures.js';

/** A CSV's cells, the header first. */
export type Cells = string[][];
export type Where = (row: Record<string, string>) => boolean;
/** A cell to set before asking: its column, which row (the first `where` picks), the text. */
export type Edit = [column: string, where: Where, value: string];
interface Case {
  model: V2Name;
  name: string;
  /** the column the hostile cell is in: a refusal must name it */
  column?: string;
  cells: Cells;
}
/** What a way answered: rows, a refusal (a user error: exit 2, HTTP 400, InputError) or anything else. */
type Outcome = { rows: unknown[] } | { refused: string } | { failed: string };

export const parse = (text: string): Cells =>
  text
    .trim()
    .split('\n')
    .map((l) => l.split(','));
const csvOf = (cells: Cells) => cells.map((r) => r.join(',')).join('\n') + '\n';
/** A cell as JSON holds it: a number when JSON writes that number so (12, 0.5), else its text ("-0", " 12 ", "NaN"). */
const jsonCell = (text: string) =>
  Number.isFinite(Number(text)) && String(Number(text)) === text ? Number(text) : text;
const jsonRowsOf = ([header, ...rows]: Cells) =>
  rows.map((r) => Object.fromEntries(header.map((h, i) => [h, jsonCell(r[i])])));

/** The data line (1: the header) of the first row `where` picks. */
function lineOf([header, ...rows]: Cells, where: Where): number {
  const at = rows.findIndex((r) => where(Object.fromEntries(header.map((h, i) => [h, r[i]]))));
  assert.ok(at >= 0, 'no row picked');
  return at + 2;
}

/** `cells` with the cell of `column` on `line` set to `value`. */
function withCell(cells: Cells, column: string, line: number, value: string): Cells {
  assert.ok(cells[0].includes(column), `no column ${column}`);
  return cells.map((r, i) => (i === line - 1 ? r.map((c, j) => (cells[0][j] === column ? value : c)) : r));
}

/** The hostile cells of issue 31, and the empty cell. */
export const HOSTILE = ['0x1A', '1e400', ' 12 ', 'NaN', 'NA', '-0', ''];

/** The rows as they are, then once with each edit. */
export function casesOf(model: V2Name, cells: Cells, edits: Edit[]): Case[] {
  return [
    { model, name: 'the rows as they are', cells },
    ...edits.map(([column, where, value]): Case => {
      const line = lineOf(cells, where);
      const cell = `${column} ${JSON.stringify(value)}`;
      return { model, name: `${cell} on line ${line}`, column, cells: withCell(cells, column, line, value) };
    }),
  ];
}

/** A file of data/ as it ships, for a fixture's model trained on a cut of it. */
export function shipped(model: V2Name, file: string): Case {
  return { model, name: `data/${file} as shipped`, cells: parse(readFileSync(join(DATA, file), 'utf8')) };
}

/** A fixture's data.csv as cells. */
export const fixtureCells = (name: V2Name): Cells => parse(readFileSync(v2Fixture(name).csv, 'utf8'));

const checkpoints = new Map<V2Name, string>();
const exports = new Map<V2Name, string>();
const servers = new Map<V2Name, Server>();
const cliOutcomes = new Map<Case, Outcome>();

/** lstm-predict --json on the case's CSV file, as a child process (two at a time: one per core). */
function lstmPredict(c: Case, file: string): Promise<Outcome> {
  const args = [join(ROOT, 'bin', 'lstm-predict.js'), checkpoints.get(c.model)!, '--data', file, '--json'];
  const child = spawn(process.execPath, args, { cwd: tempDir(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((done) =>
    child.on('exit', (code) => {
      if (code === 0) done({ rows: (JSON.parse(stdout) as { rows: unknown[] }).rows });
      else if (code === 2) done({ refused: stderr });
      else done({ failed: `exit ${code}: ${stderr}` });
    }),
  );
}

/** The fixtures' checkpoints, a new export and a server of each, and lstm-predict's outcome of every case. */
async function setUp(cases: Case[]): Promise<void> {
  const models = [...new Set(cases.map((c) => c.model))];
  await tf.setBackend('cpu');
  for (const model of models) {
    const f = v2Fixture(model);
    checkpoints.set(model, f.checkpoint);
    const out = join(f.dir, 'export-now');
    const r = runCli('lstm-export', [f.checkpoint, '--format', 'tfjs', '--out', out], tempDir());
    assert.equal(r.code, 0, r.stderr);
    exports.set(model, out);
  }
  const started = await Promise.all(models.map((m) => startServe([checkpoints.get(m)!])));
  models.forEach((m, i) => servers.set(m, started[i]));
  const dir = tempDir('lstm-differential-');
  const queue = cases.map((c, i) => ({ c, file: join(dir, `case-${i}.csv`) }));
  for (const { c, file } of queue) writeFileSync(file, csvOf(c.cells));
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) cliOutcomes.set(job.c, await lstmPredict(job.c, job.file));
  };
  await Promise.all([worker(), worker()]);
}

async function tearDown(): Promise<void> {
  for (const server of servers.values()) server.child.kill('SIGTERM');
  await Promise.all([...servers.values()].map((s) => s.exited));
}

async function predictJs(c: Case, body: 'json' | 'csv'): Promise<Outcome> {
  const dir = exports.get(c.model)!;
  const js = await predictJsOf(dir);
  const rows = body === 'json' ? jsonRowsOf(c.cells) : js.parseCsv(csvOf(c.cells));
  try {
    const answer = await (await js.loadPredictor(dir, tf)).predict(rows);
    return { rows: JSON.parse(JSON.stringify(answer.rows)) as unknown[] };
  } catch (e) {
    if ((e as Error).name !== 'InputError') throw e;
    return { refused: (e as Error).message };
  }
}

async function served(c: Case, body: 'json' | 'csv'): Promise<Outcome> {
  const url = servers.get(c.model)!.url;
  const a =
    body === 'json'
      ? await post(url, JSON.stringify({ rows: jsonRowsOf(c.cells) }))
      : await post(url, csvOf(c.cells), 'text/csv');
  if (a.status === 200) return { rows: a.json.rows as unknown[] };
  assert.equal(a.status, 400, `lstm-serve ${body}: ${JSON.stringify(a.json)}`);
  return { refused: String(a.json.error) };
}

const said = (o: Outcome) =>
  'rows' in o ? `${o.rows.length} rows` : 'refused' in o ? `refused: ${o.refused.trim()}` : `failed: ${o.failed}`;

/** Every way answers lstm-predict's rows (the first outcome), or every way refuses and names the cell's column. */
function assertAgree(c: Case, outcomes: [string, Outcome][]): void {
  const summary = outcomes.map(([way, o]) => `${way}: ${said(o)}`).join('\n');
  const [[, reference], ...others] = outcomes;
  assert.ok(!('failed' in reference), `lstm-predict failed:\n${summary}`);
  if ('rows' in reference) {
    assert.ok(c.column !== undefined || reference.rows.length > 0, 'the rows as they are predict');
    for (const [way, o] of others) {
      assert.ok('rows' in o, `${way} refused what lstm-predict answered:\n${summary}`);
      assertSameNumbers(o.rows, reference.rows, 'row', way);
    }
    return;
  }
  assert.ok(c.column !== undefined, `lstm-predict refused the rows as they are:\n${summary}`);
  for (const [way, o] of outcomes) {
    assert.ok('refused' in o, `${way} answered what lstm-predict refused:\n${summary}`);
    assert.match(o.refused, new RegExp(`\\b${c.column}\\b`), `${way} does not name the column:\n${summary}`);
  }
}

/** One test per case: lstm-predict, predict.js (JSON rows, parseCsv) and lstm-serve (JSON, CSV) agree. */
export function differential(cases: Case[]): void {
  before(() => setUp(cases), { timeout: 600_000 }); // bounded, and long enough for a machine shared by many
  after(tearDown);
  for (const c of cases)
    test(
      `${c.model}, ${c.name}: lstm-predict, predict.js and lstm-serve give the same rows or the same refusal`,
      { timeout: 120_000 },
      async () =>
        assertAgree(c, [
          ['lstm-predict', cliOutcomes.get(c)!],
          ['predict.js JSON rows', await predictJs(c, 'json')],
          ['predict.js parseCsv', await predictJs(c, 'csv')],
          ['lstm-serve JSON', await served(c, 'json')],
          ['lstm-serve CSV', await served(c, 'csv')],
        ]),
    );
}
