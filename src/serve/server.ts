// lstm-serve's HTTP service on Fastify: POST /predict (rows in, lstm-predict --json's rows out), GET /health,
// GET /model, GET /metrics. Every error is JSON {error, problems?} with a 4xx or 5xx status, never a stack.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Preprocess } from '../export/preprocess.js';
import { createPredictor, inputColumns } from '../export/runtime/predict.js';
import { TOOL_VERSION } from '../util/versions.js';
import { batchedRun } from './batcher.js';
import { serveMetrics } from './metrics.js';
import { BodyError, csvRows, jsonRows } from './request.js';
import type { ServedModel } from './source.js';

export interface ServeOptions {
  /** windows per forward pass at most, and how long a pass waits for more requests (ms) */
  maxBatch: number;
  batchWaitMs: number;
  /** a request's whole time (receiving, predicting, answering) at most, ms */
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
  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit,
    requestTimeout: o.timeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch (e) {
      done(new BodyError([`JSON: ${(e as Error).message}`]));
    }
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, String(body)),
  );

  // once closing, each answer ends its connection: a client's keep-alive would otherwise hold close() open
  let closing = false;
  const pending = new Set<Promise<unknown>>();
  app.addHook('preClose', (done) => ((closing = true), done()));
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onRequest', (_request, _reply, done) => (metrics.started(), done()));
  app.addHook('onResponse', (request, reply, done) => {
    const timedOut = (request as { timedOut?: boolean }).timedOut === true;
    metrics.answered(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
      timedOut,
    );
    done();
  });

  app.get('/health', (_request, reply) => reply.send({ status: 'ok' }));
  app.get('/model', (_request, reply) => reply.send(info));
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.post('/predict', async (request) => {
    if (request.body === undefined || request.body === '')
      throw new BodyError(['(body): expected rows as JSON ({"rows": [...]}) or CSV text, got nothing']);
    const json = /^application\/json/i.test(request.headers['content-type'] ?? '');
    const rows = json ? jsonRows(request.body) : csvRows(request.body as string); // text/csv or text/plain: a string
    const work = predictor.predict(rows);
    pending.add(work);
    void work.catch(() => undefined).finally(() => pending.delete(work));
    return withTimeout(work, o.timeoutMs);
  });
  // close() ends when the connections have; a prediction whose client went away (or timed out) may still run
  app.addHook('onClose', async () => void (await Promise.allSettled([...pending])));

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url}: expected ${ROUTES}` }),
  );
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const answer = errorAnswer(error, o, request.headers['content-type']);
    if (error instanceof TimeoutError) (request as { timedOut?: boolean }).timedOut = true;
    if (answer.status >= 500 && !(error instanceof TimeoutError))
      o.log?.(`${request.method} ${request.url}: ${error.message}`);
    return reply.code(answer.status).send(answer.body);
  });
  return app;
}

class TimeoutError extends Error {}

/**
 * The prediction, or a TimeoutError after `ms` (its forward pass still ends, unseen). Our own: Fastify's
 * handlerTimeout did not fire on POST /predict here (its timer is cleared on the request's 'close', which Node
 * emits once the body is read).
 */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError()), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** An error's status and JSON body: the request's fault (4xx) in our words, anything else a 500 without a stack. */
function errorAnswer(
  error: FastifyError,
  o: ServeOptions,
  contentType: string | undefined,
): { status: number; body: Record<string, unknown> } {
  if (error instanceof BodyError) return { status: 400, body: { error: error.message, problems: error.problems } };
  if (error.name === 'InputError') return { status: 400, body: { error: error.message } };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: {
          error: `the body is larger than --body-limit (${o.bodyLimit} bytes): send only the rows the model reads (its last window of each series), or start lstm-serve with a larger --body-limit`,
        },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: { error: `expected Content-Type application/json or text/csv, got ${contentType ?? 'none'}` },
      };
  }
  if (error instanceof TimeoutError)
    return {
      status: 503,
      body: { error: `the prediction took longer than --timeout (${o.timeoutMs} ms); try again, or send fewer rows` },
    };
  const status = error.statusCode ?? 500;
  if (status < 500) return { status, body: { error: error.message } };
  return { status: 500, body: { error: `internal error: ${error.message}` } };
}
