import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The service's Prometheus metrics, on a registry of its own (so tests can build several apps). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    messagesIn: new Counter({
      name: 'dcz_messages_in_total',
      help: 'Inbound messages accepted, by channel (provider retries not counted)',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    messagesOut: new Counter({
      name: 'dcz_messages_out_total',
      help: 'Outbound messages by channel and result (sent, failed, suppressed)',
      labelNames: ['channel', 'result'] as const,
      registers: [registry],
    }),
    turnSeconds: new Histogram({
      name: 'dcz_turn_duration_seconds',
      help: 'Time to handle one inbound message (one conversation turn)',
      labelNames: ['channel', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    inboundFailed: new Counter({
      name: 'dcz_inbound_failed_total',
      help: 'Inbound messages given up on after their last attempt (a defect, not an outage), by channel: listed by GET /api/v1/admin/failed-messages',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'dcz_queue_jobs',
      help: 'Jobs per queue and state (left out of a scrape for which Redis did not answer: see dcz_redis_up)',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    redisUp: new Gauge({
      name: 'dcz_redis_up',
      help: 'Whether Redis gave this scrape the queue depths (1) or was unreachable or did not answer in time (0)',
      registers: [registry],
    }),
    databaseUp: new Gauge({
      name: 'dcz_database_up',
      help: 'Whether the database gave this scrape the registration counts (1) or was unreachable (0)',
      registers: [registry],
    }),
    registrations: new Gauge({
      name: 'dcz_registrations',
      help: 'Digital-citizen accounts by status (left out of a scrape for which the database did not answer)',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
  };
}

/** The metrics of one process. */
export type Metrics = ReturnType<typeof createMetrics>;
