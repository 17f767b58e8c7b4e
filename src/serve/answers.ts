// lstm-serve's one error shape, {"error": "…"} (and "problems" for a bad body), for every refusal: ours, Fastify's
// and Node's own (a bad URL, 408, 431, 503 while stopping). Messages are clipped so an answer stays a few KB
// whatever the request held (a 10 MB cell, a row of 100,000 columns).
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError } from 'fastify';
import { BodyError, MAX_PROBLEMS } from './request.js';

export interface ErrorBody {
  error: string;
  problems?: string[];
}

/** An error answer's message at most (characters), its problems at most, and a quoted value's excerpt at most. */
export const MAX_MESSAGE = 1000;
const MAX_PROBLEM = 200;
const EXCERPT = 40;
/** what ends a word of a message, for clip */
const BREAK = /[\s",()]/;

/** A refusal with its status, for what the server checks itself (415, 413, 400). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The prediction took longer than --timeout. */
export class TimeoutError extends Error {}

/** `text` with every long quoted string or word cut to an excerpt, and the whole cut at `max` characters. */
export function clip(text: string, max = MAX_MESSAGE): string {
  // a scan, not a regular expression: V8's backtracking overflows its stack on a quoted value of megabytes
  let out = '';
  for (let i = 0; i < text.length && out.length <= max;) {
    let end = i + 1;
    if (text[i] === '"') {
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end = Math.min(end + 1, text.length);
    } else if (!BREAK.test(text[i])) while (end < text.length && !BREAK.test(text[end])) end++;
    const part = text.slice(i, end);
    const quoted = part.startsWith('"') && part.endsWith('"') && part.length > 1;
    if (part.length <= EXCERPT + 40) out += part;
    else out += `${part.slice(0, EXCERPT)}…${quoted ? '"' : ''} (${part.length - (quoted ? 2 : 0)} characters)`;
    i = end;
  }
  return out.length <= max ? out : `${out.slice(0, max)}… (cut at ${max} characters)`;
}

/** The JSON body of an error: the message clipped, and at most a few problems, each clipped. */
export function errorBody(message: string, problems?: string[], omitted = 0): ErrorBody {
  if (problems === undefined) return { error: clip(message) };
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => clip(p, MAX_PROBLEM));
  const more = problems.length - shown.length + omitted;
  if (more > 0) shown.push(`… and ${more} more`);
  return { error: clip(`invalid request body:\n${shown.map((p) => `  - ${p}`).join('\n')}`), problems: shown };
}

interface Limits {
  bodyLimit: number;
  timeoutMs: number;
}

/** An error's status and JSON body: the request's fault (4xx) in our words, anything else a 500 without a stack. */
export function errorAnswer(
  error: FastifyError,
  o: Limits,
  contentType: string | undefined,
): { status: number; body: ErrorBody } {
  if (error instanceof BodyError) return { status: 400, body: errorBody(error.message, error.problems, error.omitted) };
  if (error instanceof HttpError) return { status: error.statusCode, body: errorBody(error.message) };
  if (error.name === 'InputError') return { status: 400, body: errorBody(error.message) };
  if (error instanceof TimeoutError)
    return {
      status: 503,
      body: { error: `the prediction took longer than --timeout (${o.timeoutMs} ms); try again, or send fewer rows` },
    };
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
        body: errorBody(`expected Content-Type application/json or text/csv, got ${contentType ?? 'none'}`),
      };
  }
  const status = error.statusCode ?? 500;
  if (status < 500) return { status, body: errorBody(error.message) };
  return { status: 500, body: errorBody(`internal error: ${error.message}`) };
}

/** The 503 of a request that comes while the server stops. */
export const STOPPING: ErrorBody = {
  error: 'lstm-serve is stopping (SIGTERM or SIGINT): it takes no more requests; send this one to another copy',
};

/** A whole HTTP/1.1 answer written straight to a socket (for a request Node refused before Fastify saw it). */
export function rawAnswer(status: number, body: ErrorBody): string {
  const text = JSON.stringify(body);
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`
  );
}

/**
 * Fastify's clientErrorHandler: what Node's parser refused (a request still arriving at the limit, headers too
 * large, bytes that are no HTTP) is answered in our shape, when nothing of another answer was written yet.
 */
export function clientErrorAnswer(timeoutMs: number) {
  return (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answered = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage?.headersSent;
    if (socket.writable && !answered) socket.write(rawAnswer(...clientError(error, timeoutMs)));
    socket.destroy();
  };
}

function clientError(error: NodeJS.ErrnoException, timeoutMs: number): [number, ErrorBody] {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        408,
        { error: `the request (its headers and body) took longer than --timeout (${timeoutMs} ms) to arrive` },
      ];
    case 'HPE_HEADER_OVERFLOW':
      return [431, { error: "the request's headers are larger than Node's limit (16 KB): send fewer or smaller" }];
    default:
      return [400, { error: `expected an HTTP/1.1 request, got bytes its parser refused (${error.code ?? 'error'})` }];
  }
}
