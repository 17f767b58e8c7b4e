// GET /metrics: the service's counters in the Prometheus text format, by prom-client, in a registry of its own.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function serveMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lstm_serve_' });
  const registers = [registry];
  const requests = new Counter({
    name: 'lstm_serve_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'lstm_serve_request_duration_seconds',
    help: 'time from a request to its answer, by route',
    labelNames: ['route'] as const,
    buckets: LATENCY,
    registers,
  });
  const errors = new Counter({
    name: 'lstm_serve_errors_total',
    help: 'requests answered with an error, by kind (client: 4xx, timeout, server: other 5xx)',
    labelNames: ['kind'] as const,
    registers,
  });
  const inFlight = new Gauge({ name: 'lstm_serve_in_flight', help: 'requests being answered', registers });
  const windows = new Histogram({
    name: 'lstm_serve_batch_windows',
    help: 'windows (or sequences) in each forward pass',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers,
  });
  const calls = new Histogram({
    name: 'lstm_serve_batch_requests',
    help: 'requests in each forward pass',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers,
  });
  const forward = new Histogram({
    name: 'lstm_serve_forward_seconds',
    help: 'time of each forward pass',
    buckets: LATENCY,
    registers,
  });
  return {
    registry,
    started: () => inFlight.inc(),
    /** however the request ended: answered, or its connection gone */
    ended: () => inFlight.dec(),
    answered(method: string, route: string, status: number, seconds: number, timedOut: boolean) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ route }, seconds);
      if (status >= 400) errors.inc({ kind: timedOut ? 'timeout' : status < 500 ? 'client' : 'server' });
    },
    pass(p: { windows: number; calls: number; seconds: number }) {
      windows.observe(p.windows);
      calls.observe(p.calls);
      forward.observe(p.seconds);
    },
  };
}
