// The gateway's gauges in the node's Prometheus registry (metrics.ts), read at scrape time.
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../metrics.js';
import type { Gateway } from './gateway.js';

/** The gateway's sockets and what bounds them (gatewayMaxBufferedBytes, gatewayMaxInFlight), read at scrape time. */
export function registerGatewayMetrics(metrics: Metrics, gateway: Gateway): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'pushline_gateway_connections',
    help: 'Open WebSocket connections of this node',
    registers,
    collect() {
      this.set(gateway.connectionCount);
    },
  });
  new Gauge({
    name: 'pushline_gateway_buffered_bytes',
    help: 'Bytes waiting to be sent on all WebSocket connections of this node',
    registers,
    collect() {
      this.set(gateway.bufferedBytes());
    },
  });
  new Gauge({
    name: 'pushline_gateway_buffered_bytes_max',
    help: 'The most bytes ever waiting to be sent on one WebSocket connection of this node',
    registers,
    collect() {
      this.set(gateway.stats.maxBuffered);
    },
  });
  new Counter({
    name: 'pushline_gateway_backpressure_total',
    help: 'Sockets paused (not read while their client does not read), closed with 4009, and requests refused with 7008 (too many in flight)',
    labelNames: ['action'] as const,
    registers,
    collect() {
      const { paused, closedNotReading, refused } = gateway.stats;
      this.reset();
      this.inc({ action: 'paused' }, paused);
      this.inc({ action: 'closed' }, closedNotReading);
      this.inc({ action: 'refused' }, refused);
    },
  });
}
