// lstm-serve against hostile and slow clients (issue 36): the real CLI on loopback, raw sockets for what fetch cannot
// send (half headers, a stalled body, a reset mid-body). Every wait is bounded; no timing is asserted.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { post, ROOT, runCli, smallForecastConfig, startServe, tempDir, trainRun } from './helpers.js';
import { assertSameRows } from '../export/page.js';

let checkpoint: string; // sine: value and aux, window 12
let longCsv: string; // 40,000 rows of value,aux
let expected: Record<string, unknown>[]; // lstm-predict's answer on it

before(() => {
  checkpoint = join(trainRun(smallForecastConfig()), 'checkpoints', 'best');
  const dir = tempDir('lstm-serve-hostile-');
  const lines = Array.from({ length: 40_000 }, (_, i) => `${(i * 7) % 10},${(i * 3) % 10}`);
  longCsv = join(dir, 'long.csv');
  writeFileSync(longCsv, `value,aux\n${lines.join('\n')}\n`);
  const r = runCli('lstm-predict', [checkpoint, '--data', longCsv, '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  expected = JSON.parse(r.stdout).rows;
});

const portOf = (url: string) => Number(new URL(url).port);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `text` on a raw connection and resolves with all the server wrote once it closes (at most 60 s). */
function raw(port: number, text: string): { answer: Promise<string>; destroy(): void } {
  const socket = connect(port, '127.0.0.1');
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString()));
  socket.on('error', () => undefined); // a reset still resolves with what came
  socket.write(text);
  const answer = new Promise<string>((done, failed) => {
    const limit = setTimeout(() => (socket.destroy(), failed(new Error(`no end after 60 s: ${got}`))), 60_000);
    socket.on('close', () => (clearTimeout(limit), done(got)));
  });
  return { answer, destroy: () => socket.resetAndDestroy() };
}

/** A raw answer's status and JSON body. */
function parsed(text: string): { status: number; body: Record<string, unknown> } {
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
  return { status, body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) };
}

/** The one error shape: {error} (and problems for a bad body), a few KB at most, no stack. */
function assertErrorShape(body: Record<string, unknown>, text: string) {
  assert.equal(typeof body.error, 'string', text.slice(0, 300));
  assert.deepEqual(
    Object.keys(body).filter((k) => k !== 'error' && k !== 'problems'),
    [],
    text.slice(0, 300),
  );
  assert.ok(text.length < 4096, `an error answer of ${text.length} bytes: ${text.slice(0, 300)}`);
  assert.doesNotMatch(text, /at .*\.js:\d+|Maximum call stack/);
}

const HEAD = 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
const STALLED = {
  'a partial body': `${HEAD}Content-Length: 1000\r\n\r\n{"rows": `,
  'a chunked body': `${HEAD}Transfer-Encoding: chunked\r\n\r\n9\r\n{"rows": \r\n`,
  'half its headers': 'POST /predict HTTP/1.1\r\nHost: x\r\nContent-',
};

async function inFlight(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^lstm_serve_in_flight (\S+)$/m.exec(text)?.[1]);
}

test('lstm-serve: a 40,000-row body is answered as lstm-predict answers it, and /health meanwhile', async () => {
  // no batch wait: the loop is free during the request only where the server yields
  const server = await startServe([checkpoint, '--batch-wait', '0']);
  try {
    let answered = false;
    let healthBefore = 0;
    const answer = new Promise<{ status: number; text: string }>((done, failed) => {
      const req = request(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'text/csv' } });
      req.on('response', (res) => {
        answered = true;
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => done({ status: res.statusCode!, text }));
      });
      req.on('error', failed);
      req.on('finish', () => {
        // the body is sent: ask /health until the prediction is answered (bounded)
        void (async () => {
          for (let i = 0; i < 10_000 && !answered; i++) {
            const r = await fetch(`${server.url}/health`);
            await r.json();
            if (!answered) healthBefore++;
          }
        })();
      });
      req.end(readFileSync(longCsv, 'utf8'));
    });
    const a = await answer;
    assert.equal(a.status, 200, a.text.slice(0, 300));
    assertSameRows(JSON.parse(a.text).rows, expected, '40,000 rows');
    assert.ok(healthBefore >= 1, 'no /health was answered while the 40,000 rows were read');
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  }
});

test('lstm-serve: stalled uploads get a 408 at --timeout; clients that reset mid-body leave in_flight at rest', async () => {
  const server = await startServe([checkpoint, '--timeout', '1000']);
  const port = portOf(server.url);
  try {
    for (const [what, text] of Object.entries(STALLED)) {
      const got = await raw(port, text).answer;
      const { status, body } = parsed(got);
      assert.equal(status, 408, `${what}: ${got}`);
      assertErrorShape(body, got);
      assert.match(String(body.error), /longer than --timeout \(1000 ms\) to arrive/);
    }
    // eight clients send part of a body, then reset their connections
    const resets = Array.from({ length: 8 }, () => raw(port, STALLED['a partial body']));
    for (let i = 0; i < 200 && (await inFlight(server.url)) < 9; i++) await wait(10);
    resets.forEach((r) => r.destroy());
    await Promise.all(resets.map((r) => r.answer));
    let now = NaN;
    for (let i = 0; i < 500 && (now = await inFlight(server.url)) !== 1; i++) await wait(10);
    assert.equal(now, 1, 'in_flight counts only the /metrics request itself');
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  }
});

test('lstm-serve: SIGTERM with stalled and idle clients answers the request in flight, closes the rest, exits 0', async () => {
  const server = await startServe([checkpoint, '--batch-wait', '1500']);
  const port = portOf(server.url);
  const stalled = Object.entries(STALLED).map(([what, text]) => ({ what, answer: raw(port, text).answer }));
  const idle = raw(port, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n'); // keep-alive, then nothing
  const window = readFileSync(longCsv, 'utf8').split('\n').slice(0, 13).join('\n');
  const held = post(server.url, window, 'text/csv'); // held by the batch wait
  for (let i = 0; i < 500 && (await inFlight(server.url)) < 4; i++) await wait(10);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, server.stdout());
  assert.equal((await held).status, 200, 'the request in flight is answered');
  for (const s of stalled) {
    const got = await s.answer;
    // a body still arriving gets a 503; a connection still sending its headers is closed
    if (got !== '') {
      const { status, body } = parsed(got);
      assert.equal(status, 503, `${s.what}: ${got}`);
      assertErrorShape(body, got);
      assert.match(String(body.error), /stopping/);
    } else assert.equal(s.what, 'half its headers');
  }
  assert.match(await idle.answer, /^HTTP\/1\.1 200/);
});

test('lstm-serve: every refusal is a small {error} with a 4xx, whatever the body holds', async () => {
  const server = await startServe([checkpoint, '--body-limit', String(12 * 1024 * 1024)]);
  const port = portOf(server.url);
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const cases: {
    what: string;
    body: string;
    type?: string;
    headers?: Record<string, string>;
    status: number;
    error: RegExp;
  }[] = [
    {
      what: '1 MB of [] rows',
      body: `{"rows": [${Array(350_000).fill('[]').join(',')}]}`,
      status: 400,
      error: /rows\[0\]: expected an object, got an array[^]*… and 349990 more/,
    },
    {
      what: '100,000 columns',
      body: `${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n`,
      type: 'text/csv',
      status: 413,
      error: /CSV header: expected at most 1000 columns .*found 100000/,
    },
    {
      what: 'a row of 100,000 keys',
      body: JSON.stringify({ rows: [Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`c${i}`, 1]))] }),
      status: 413,
      error: /rows\[0\]: expected at most 1000 columns/,
    },
    {
      what: 'a 10 MB cell',
      body: JSON.stringify({ rows: [...Array(11).fill({ value: 1, aux: 1 }), { value: 'x'.repeat(1e7), aux: 1 }] }),
      status: 400,
      error: /window row 12: column "value": expected a number, found "xxx[^"]*…" \(10000000 characters\)/,
    },
    {
      what: 'a 10 MB key',
      body: JSON.stringify({ rows: [{ ['k'.repeat(10_000_000)]: 1 }] }),
      status: 400,
      error: /expected the column "value", found none .*kkk… \(10000000 characters\)/,
    },
    { what: 'a deep body', body: deep(5000), status: 400, error: /at most 16 levels of nesting/ },
    { what: 'deep rows', body: `{"rows": ${deep(5000)}}`, status: 400, error: /at most 16 levels of nesting/ },
    {
      what: 'a deep cell',
      body: `{"rows": [{"value": ${deep(5000)}, "aux": 1}]}`,
      status: 400,
      error: /at most 16 levels of nesting/,
    },
    {
      what: 'rows and csv',
      body: '{"rows": [{"value": 1, "aux": 1}], "csv": "value,aux\\n1,1"}',
      status: 400,
      error: /expected either "rows" .* or "csv" .*, got both/,
    },
    {
      what: 'gzip',
      body: '{"rows": []}',
      headers: { 'content-encoding': 'gzip' },
      status: 415,
      error: /expected no Content-Encoding .*got gzip/,
    },
    {
      what: 'utf-16',
      body: '{"rows": []}',
      type: 'application/json; charset=utf-16le',
      status: 415,
      error: /expected the body in UTF-8 .*got charset=utf-16le/,
    },
  ];
  try {
    for (const c of cases) {
      const r = await fetch(`${server.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': c.type ?? 'application/json', ...c.headers },
        body: c.body,
      });
      const text = await r.text();
      assert.equal(r.status, c.status, `${c.what}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text) as Record<string, unknown>;
      assertErrorShape(body, text);
      assert.match(String(body.error), c.error, c.what);
    }
    // Fastify's and Node's own refusals, in the same shape
    const badUrl = await fetch(`${server.url}/%`);
    const badText = await badUrl.text();
    assert.equal(badUrl.status, 400);
    assertErrorShape(JSON.parse(badText), badText);
    const notFound = await fetch(`${server.url}/nothing`);
    const notFoundText = await notFound.text();
    assert.equal(notFound.status, 404);
    assertErrorShape(JSON.parse(notFoundText), notFoundText);
    const big = await raw(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`).answer;
    const { status, body } = parsed(big);
    assert.equal(status, 431, big);
    assertErrorShape(body, big);
    const junk = await raw(port, 'HELLO\r\n\r\n').answer;
    assert.equal(parsed(junk).status, 400, junk);
    assertErrorShape(parsed(junk).body, junk);
    assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { status: 'ok' }, 'still serving');
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  }
});

/** Every process below `pid` (a walk of ps's parent links). */
function descendants(pid: number): number[] {
  const r = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  const links = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length > 0;) {
    frontier = links.filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...frontier);
  }
  return found;
}

/** Whether `pid` still runs (a zombie no one reaps has ended). */
function running(pid: number): boolean {
  const r = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '' && !r.stdout.trim().startsWith('Z');
}

test('lstm-serve under npx: SIGTERM to the npx process stops the server, frees the port, leaves no process', async () => {
  const npx = spawn('npx', ['--no-install', 'lstm-serve', checkpoint, '--port', '0'], {
    cwd: ROOT,
    // npx links this project into its cache on first use and would run its `prepare` (a rebuild of dist/, under
    // the other tests' feet): the link needs no script, the bin runs the dist/ already built
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  npx.stdout.on('data', (d) => (out += d));
  const npxExited = new Promise((done) => npx.on('exit', done));
  for (let i = 0; i < 1200 && !/listening on (http:\S+)/.test(out); i++) await wait(50);
  const url = /listening on (http:\S+)/.exec(out)?.[1];
  assert.ok(url, `lstm-serve did not start under npx:\n${out}`);
  assert.deepEqual(await (await fetch(`${url}/health`)).json(), { status: 'ok' });
  const children = descendants(npx.pid!);
  assert.ok(children.length >= 1, 'npx runs lstm-serve as its child');
  npx.kill('SIGTERM');
  await npxExited;
  for (let i = 0; i < 600 && children.some(running); i++) await wait(50);
  assert.deepEqual(children.filter(running), [], `left running:\n${out}`);
  await assert.rejects(fetch(`${url}/health`), 'the port is free');
  assert.match(out, /stopping/);
});
