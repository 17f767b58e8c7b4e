// lstm-serve's HTTP service on Fastify: POST /predict (rows in, lstm-predict --json's rows out), GET /health,
// GET /model, GET /metrics. Every error is JSON {error, problems?} with a 4xx or 5xx status, never a stack.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Preprocess } from '../export/preprocess.js';
import { createPredictor, inputColumns } from '../export/runtime/predict.js';
import { TOOL_VERSION } from '../util/versions.js';
import { clientErrorAnswer, errorAnswer, errorBody, HttpError, TimeoutError, type ErrorBody } from './answers.js';
import { batchedRun } from './batcher.js';
import { serverWithLimits, type Connections } from './connections.js';
import { serveMetrics } from './metrics.js';
import { BodyError, csvRows, jsonRows, MIN_MAX_COLUMNS, parseJson } from './request.js';
import type { ServedModel } from './source.js';

export interface ServeOptions {
  /** windows per forward pass at most, and how long a pass waits for more requests (ms) */
  maxBatch: number;
  batchWaitMs: number;
  /** receiving a request at most, and its prediction at most, ms; stopping waits this long (and a second) at most */
  timeoutMs: number;
  /** bytes of a request body at most */
  bodyLimit: number;
  /** where a server fault (a 500) is told, besides its answer */
  log?: (line: string) => void;
}

const ROUTES = 'POST /predict, GET /health, GET /model or GET /metrics';

/** The model card's public part: what a client must send and what it gets back (no paths, no scalers). */
export function modelInfo(served: ServedModel, o: ServeOptions) {
  const p: Preprocess = served.preprocess;
  const f = p.forecast;
  const c = p.classify;
  return {
    name: p.source.name,
    task: p.task,
    epoch: p.source.checkpointEpoch,
    servedBy: `lstm-serve ${TOOL_VERSION}`,
    source: served.source.kind,
    runtime: served.runtime,
    ...(served.model ? { model: served.model } : {}),
    input: {
      columns: inputColumns(p),
      ...(f
        ? {
            window: f.window,
            ...(f.time ? { time: f.time.column, frequency: f.time.frequency ?? null } : {}),
            ...(f.seriesId.length > 0 ? { seriesId: f.seriesId } : {}),
            ...(f.seriesScalers ? { series: Object.keys(f.seriesScalers) } : {}),
          }
        : { layout: c!.layout, steps: c!.steps }),
    },
    output: f ? { targets: f.targets, steps: f.leads, intervals: f.intervals?.levels ?? [] } : { classes: c!.classes },
    batching: { maxBatch: o.maxBatch, waitMs: o.batchWaitMs },
    notes: p.notes,
  };
}

/** The service, ready to listen. */
export function buildServer(served: ServedModel, o: ServeOptions): FastifyInstance {
  const metrics = serveMetrics();
  const run = batchedRun(served.run, {
    maxBatch: o.maxBatch,
    waitMs: o.batchWaitMs,
    onPass: (p) => metrics.pass(p),
  });
  const predictor = createPredictor(served.preprocess, run);
  const info = modelInfo(served, o);
  const maxColumns = Math.max(MIN_MAX_COLUMNS, 2 * inputColumns(served.preprocess).length);
  let connections: Connections | undefined;
  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit,
    return503OnClosing: false, // connections.ts answers it, in our shape
    serverFactory: (handler) => (connections = serverWithLimits(handler, o.timeoutMs)).server,
    clientErrorHandler: clientErrorAnswer(o.timeoutMs),
    frameworkErrors: (error, _request, reply) =>
      void (reply as FastifyReply).code(400).send(errorBody(`${error.message}: expected ${ROUTES}`)),
  });

  readBodies(app);
  const pending = new Set<Promise<unknown>>();
  addLifecycle(app, metrics, () => connections?.stop(o.timeoutMs + 1000));

  app.get('/health', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/model', (_request, reply) => reply.send(info));
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.post('/predict', async (request) => {
    if (request.body === undefined || request.body === '')
      throw new BodyError(['(body): expected rows as JSON ({"rows": [...]}) or CSV text, got nothing']);
    const json = /^application\/json/i.test(request.headers['content-type'] ?? '');
    const work = (async () => {
      // text/csv or text/plain: a string
      const rows = json ? await jsonRows(request.body, maxColumns) : await csvRows(request.body as string, maxColumns);
      return predictor.predict(rows);
    })();
    pending.add(work);
    void work.catch(() => undefined).finally(() => pending.delete(work));
    return withTimeout(work, o.timeoutMs);
  });
  // close() ends when the connections have; a prediction whose client went away (or timed out) may still run
  app.addHook('onClose', async () => void (await Promise.allSettled([...pending])));

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send(errorBody(`no route ${request.method} ${request.url}: expected ${ROUTES}`)),
  );
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const answer = safely(() => errorAnswer(error, o, request.headers['content-type']));
    if (error instanceof TimeoutError) (request as { timedOut?: boolean }).timedOut = true;
    if (answer.status >= 500 && !(error instanceof TimeoutError))
      o.log?.(`${request.method} ${request.url}: ${error.message}`);
    return reply.code(answer.status).send(answer.body);
  });
  return app;
}

/** JSON (nesting checked) and CSV bodies as text, parsed by request.ts. */
function readBodies(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJson(String(body)));
    } catch (e) {
      done(e as Error);
    }
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, String(body)),
  );
}

/** Each request's metrics and encoding check, and the stop: `stop` closes the connections (connections.ts). */
function addLifecycle(app: FastifyInstance, metrics: ReturnType<typeof serveMetrics>, stop: () => void): void {
  // once closing, each answer ends its connection: a client's keep-alive would otherwise hold close() open
  let closing = false;
  app.addHook('preClose', (done) => ((closing = true), stop(), done()));
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onRequest', (request, reply, done) => {
    metrics.started();
    // 'close' comes however the request ends: answered, timed out, or its client gone mid-body
    reply.raw.once('close', () => metrics.ended());
    done(request.method === 'POST' ? encodingProblem(request) : undefined);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const timedOut = (request as { timedOut?: boolean }).timedOut === true;
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.answered(request.method, route, reply.statusCode, reply.elapsedTime / 1000, timedOut);
    done();
  });
}

/** The answer, or a plain 500 if making it failed (else Fastify's own, in its shape, would go out). */
function safely(answer: () => { status: number; body: ErrorBody }): { status: number; body: ErrorBody } {
  try {
    return answer();
  } catch (e) {
    return { status: 500, body: { error: `internal error: ${(e as Error).name}` } };
  }
}

const CHARSETS = ['utf-8', 'utf8', 'us-ascii'];

/** A 415 for a body we would misread: compressed, or in a charset other than UTF-8. */
function encodingProblem(request: FastifyRequest): HttpError | undefined {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    return new HttpError(415, `expected no Content-Encoding (a plain body), got ${encoding}`);
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
  if (charset !== undefined && !CHARSETS.includes(charset))
    return new HttpError(415, `expected the body in UTF-8 (charset=utf-8, or none), got charset=${charset}`);
  return undefined;
}

/**
 * The prediction, or a TimeoutError after `ms` (its forward pass still ends, unseen); also when it ends after `ms`
 * because the event loop was held. Our own: Fastify's handlerTimeout did not fire on POST /predict here (its timer
 * is cleared on the request's 'close', which Node emits once the body is read).
 */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  const deadline = performance.now() + ms;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError()), ms)));
  try {
    const result = await Promise.race([work, late]);
    if (performance.now() > deadline) throw new TimeoutError();
    return result;
  } finally {
    clearTimeout(timer);
  }
}
