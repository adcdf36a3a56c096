// One Prometheus registry per Pushline instance (several can live in one test process).
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  v4Requests: Counter<'command' | 'result'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pushline_process_' });
  const v4Requests = new Counter({
    name: 'pushline_v4_requests_total',
    help: 'Tencent-compatible v4 REST requests by command and result (ok or the error code)',
    labelNames: ['command', 'result'] as const,
    registers: [registry],
  });
  return { registry, v4Requests };
}
