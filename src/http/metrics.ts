import client from 'prom-client';

/** Prometheus metrics of one app instance (own registry, so tests can build many apps). */
export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration = new client.Histogram({
    name: 'boxoffice_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly holdsCreated = new client.Counter({
    name: 'boxoffice_holds_created_total',
    help: 'Holds granted',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly holdsConflicted = new client.Counter({
    name: 'boxoffice_holds_conflicted_total',
    help: 'Hold requests refused because a seat or GA quantity was not available',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly holdsExpired = new client.Counter({
    name: 'boxoffice_holds_expired_total',
    help: 'Expired holds removed by the sweeper',
    registers: [this.registry],
  });
  readonly holdsReleased = new client.Counter({
    name: 'boxoffice_holds_released_total',
    help: 'Holds released by their owner',
    registers: [this.registry],
  });

  readonly jobsCompleted = new client.Counter({
    name: 'boxoffice_jobs_completed_total',
    help: 'Background jobs that finished, by queue (in this process)',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly jobsFailed = new client.Counter({
    name: 'boxoffice_jobs_failed_total',
    help: 'Background job attempts that failed, by queue (each retry counts)',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly jobsDeadLettered = new client.Counter({
    name: 'boxoffice_jobs_dead_lettered_total',
    help: 'Background jobs that failed their last retry and went to the dead-letter queue, by queue',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly seatStreamsOpen = new client.Gauge({
    name: 'boxoffice_seat_streams_open',
    help: 'Live seat-map streams (Server-Sent Events) open on this process',
    registers: [this.registry],
  });
  readonly seatChangesReceived = new client.Counter({
    name: 'boxoffice_seat_changes_received_total',
    help: 'Seat-change messages received from the bus for inventories with a live seat map here',
    registers: [this.registry],
  });
  readonly seatFeedRecomputes = new client.Counter({
    name: 'boxoffice_seat_feed_recomputes_total',
    help: 'Reads of an inventory’s occupancy for its live seat maps (coalesced across changes and streams)',
    registers: [this.registry],
  });
  readonly seatFeedRecomputeDuration = new client.Histogram({
    name: 'boxoffice_seat_feed_recompute_duration_seconds',
    help: 'Time to read and diff an inventory’s occupancy for its live seat maps',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor() {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'boxoffice_' });
  }
}
