import { Counter, Gauge, type Registry } from 'prom-client';
import type { CallLogCounters } from '../plugins/call-log.js';

/**
 * The call log's health, read from its live counters at scrape time: a queue that keeps
 * growing, dropped rows or write errors mean calls are going unrecorded.
 */
export function registerCallLogMetrics(registry: Registry, stats: () => CallLogCounters): void {
  const registers = [registry];
  new Gauge({
    name: 'gateway_call_log_queue_depth',
    help: 'Call-log rows waiting for the writer.',
    registers,
    collect() {
      this.set(stats().queueDepth);
    },
  });
  new Gauge({
    name: 'gateway_call_log_queue_capacity',
    help: 'Rows the call-log queue holds before it drops new ones.',
    registers,
    collect() {
      this.set(stats().queueCapacity);
    },
  });
  const counter = (name: string, help: string, read: (counters: CallLogCounters) => number) =>
    new Counter({
      name,
      help,
      registers,
      // The writer keeps the running total; the counter mirrors it.
      collect() {
        this.reset();
        this.inc(read(stats()));
      },
    });
  counter('gateway_call_log_write_errors_total', 'Failed call-log write transactions (retried, or the row dropped).', (c) => c.writeErrors);
  counter('gateway_call_log_dropped_rows_total', 'Call-log rows lost: queue full, or refused by the database for good.', (c) => c.droppedRows);
  counter('gateway_call_log_written_rows_total', 'Call-log rows written.', (c) => c.writtenRows);
  counter('gateway_call_log_sampled_auth_failures_total', 'Unauthenticated failures folded into a sampled row instead of their own.', (c) => c.suppressedAuthFailures);
}
