// lstm-serve's HTTP server and its connections. Receiving a request (headers and body) is cut at --timeout: Node's
// own limits, checked often enough to hold (its default check runs every 30 s, so a stalled body was held for a
// minute). Stopping ends every connection: at once those idle or still sending their headers, with a 503 those still
// sending a body, after their answer those being answered, and whatever is left at the grace period.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { STOPPING } from './answers.js';

export interface Connections {
  server: Server;
  /** Stops taking requests and closes the connections as above; at `graceMs` closes every one left. */
  stop(graceMs: number): void;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server for Fastify's serverFactory: `handler` answers each request, until stop(). */
export function serverWithLimits(handler: Handler, timeoutMs: number): Connections {
  const sockets = new Set<Socket>();
  // each connection's request being received or answered
  const current = new Map<Socket, { req: IncomingMessage; res: ServerResponse }>();
  let stopping = false;
  const server = createServer(
    {
      requestTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.round(timeoutMs / 4))),
      keepAliveTimeout: 72_000, // Fastify's own default: longer than a load balancer's idle (AWS ALB: 60 s)
    },
    (req, res) => {
      if (stopping) return refuse(res);
      const socket = req.socket;
      current.set(socket, { req, res });
      res.once('close', () => current.get(socket)?.res === res && current.delete(socket));
      handler(req, res);
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const stop = (graceMs: number) => {
    stopping = true;
    for (const socket of sockets) {
      const at = current.get(socket);
      if (at === undefined)
        socket.destroy(); // idle, or its request's headers still arriving
      else if (!at.req.complete && !at.res.headersSent) refuse(at.res); // its body still arriving
      // else being answered: the answer says `Connection: close`, and Node closes it after
    }
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  };
  return { server, stop };
}

/** The 503 of stopping; Node closes the connection after it (`Connection: close`). */
function refuse(res: ServerResponse): void {
  const body = JSON.stringify(STOPPING);
  res.writeHead(503, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}
