// lstm-serve: a checkpoint or an export behind HTTP. SIGTERM or Ctrl-C (or, under npx, npx's end) stops taking
// requests, answers those in flight, closes every other connection, then exits 0.
import { InvalidArgumentError, Option, Command } from 'commander';
import { UsageError } from '../errors.js';
import { RUNTIMES, type Runtime } from '../predict/index.js';
import { buildServer } from '../serve/server.js';
import { openServed } from '../serve/source.js';
import { TOOL_VERSION } from '../util/versions.js';
import { addBackendOptions, describeBackend, parseCount, parseWhole, runProgram, type BackendFlags } from './common.js';
import { announced, checkpointArg } from './checkpoint-arg.js';

interface ServeFlags extends BackendFlags {
  port: number;
  host: string;
  runtime: Runtime;
  maxBatch: number;
  batchWait?: number;
  timeout: number;
  bodyLimit: number;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535 (0: any free one), got "${value}"`);
  return n;
}

export function serveCommand(): Command {
  const command = new Command('lstm-serve')
    .description('Serve predictions over HTTP: POST /predict, GET /health, GET /model, GET /metrics')
    .version(TOOL_VERSION)
    .argument(
      '<model>',
      'a checkpoint directory (runs/<run>/checkpoints/best), or a folder or .onnx file of lstm-export',
    )
    .option('-p, --port <n>', 'the port (0: any free one, printed)', parsePort, 8080)
    .option('--host <address>', 'the address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .addOption(
      new Option('--runtime <name>', 'what runs the model: tfjs, or ONNX Runtime (onnxruntime-node)')
        .choices(RUNTIMES)
        .default('tfjs'),
    )
    .option('--max-batch <n>', 'windows in one forward pass at most (concurrent requests are batched)', parseCount, 64)
    .option(
      '--batch-wait <ms>',
      "how long a forward pass waits for more requests (default: 2 for tfjs, whose pass holds Node's event loop; " +
        '0 for onnx, whose pass runs on its own threads while the next requests gather)',
      parseWhole,
    )
    .option(
      '--timeout <ms>',
      'how long receiving a request may take (then 408), and its prediction (then 503); stopping waits as long',
      parseCount,
      10_000,
    )
    .option('--body-limit <bytes>', 'a request body at most, then 413', parseCount, 1_048_576);
  return addBackendOptions(command, false)
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError()
    .exitOverride();
}

export async function runServe(path: string, flags: ServeFlags): Promise<number> {
  const served = await openServed(path, { ...flags, batchSize: 256 });
  const app = buildServer(served, {
    maxBatch: flags.maxBatch,
    batchWaitMs: flags.batchWait ?? (served.runtime === 'onnx' ? 0 : 2),
    timeoutMs: flags.timeout,
    bodyLimit: flags.bodyLimit,
    log: (line) => process.stderr.write(`lstm-serve: ${line}\n`),
  });
  try {
    await app.listen({ port: flags.port, host: flags.host });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--port ${flags.port}, --host ${flags.host}: expected an address to listen on, got ${code ?? (e as Error).message}`,
      code === 'EADDRINUSE' ? 'another process has the port: choose another --port (0: any free one)' : undefined,
    );
  }
  const { address, port } = app.server.address() as { address: string; port: number };
  const host = address.includes(':') ? `[${address}]` : address;
  const backend = served.backend ? `, backend ${describeBackend(served.backend)}` : '';
  const p = served.preprocess;
  process.stdout.write(
    `lstm-serve: ${p.source.name} (${p.task}, ${served.source.kind} ${path}, runtime ${served.runtime}${backend})\n` +
      `listening on http://${host}:${port}  (POST /predict, GET /health, GET /model, GET /metrics)\n`,
  );
  await new Promise<void>((stopped, failed) => {
    let since: number | undefined;
    const stop = (signal: string) => {
      // npx forwards the terminal's Ctrl-C, so one press can arrive twice: a repeat within a second is that
      if (since !== undefined) {
        if (performance.now() - since < 1000) return;
        process.stdout.write(`${signal} again: stopping at once\n`);
        process.exit(130);
      }
      since = performance.now();
      process.stdout.write(`${signal}: answering the requests in flight, then stopping (again to stop at once)\n`);
      app.close().then(stopped, failed);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // under npx a shell stands between npm and us: a SIGTERM to npx ends that shell, which passes it on to no one,
    // and we would be left listening under init. So there, a parent that goes away is a SIGTERM.
    if (process.env.npm_execpath !== undefined) {
      const parent = process.ppid;
      const watch = setInterval(() => {
        if (process.ppid === parent) return;
        clearInterval(watch);
        if (since === undefined) stop('npx exited'); // a signal to the process group came here too: not a second
      }, 250);
      watch.unref();
    }
  });
  await served.dispose();
  process.stdout.write('stopped\n');
  return 0;
}

export const main = (argv = process.argv) =>
  runProgram(serveCommand(), argv, ([path], program) =>
    runServe(announced(checkpointArg(path)), program.opts<ServeFlags>()),
  );
