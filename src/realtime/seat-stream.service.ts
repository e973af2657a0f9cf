import { randomBytes } from 'node:crypto';
import { findLayoutGaAreas } from '../catalog/layout.repository.js';
import type { Db } from '../db/client.js';
import type { Metrics } from '../http/metrics.js';
import type { HoldStore, InventoryRef } from '../inventory/hold-store.js';
import type { HoldService } from '../inventory/hold.service.js';
import { findGaCapacities } from '../inventory/inventory.repository.js';
import type { Segment } from '../inventory/segments.js';
import { AppError } from '../shared/errors.js';
import type { SeatChangeBus } from './seat-change-bus.js';
import {
  diffFeedStates,
  feedStateOf,
  parseStreamEventId,
  snapshotData,
  sseMessage,
  streamEventId,
  type FeedState,
  type GaAreaCapacity,
} from './seat-feed.js';

/** What one live seat map shows: an inventory, the segment looked at, and the layout it is drawn from. */
export interface SeatStreamTarget {
  inventory: InventoryRef;
  segment: Segment;
  layoutId: string;
}

/** Where a stream's messages go (an HTTP response); the hub closes it when it cannot keep up. */
export interface SeatStreamSink {
  write(text: string): void;
  /** Bytes written but not yet sent to the client. */
  readonly buffered: number;
  end(): void;
}

export interface SeatStreamHubOptions {
  /** Open streams this process accepts; more are answered 503. */
  maxStreams: number;
  /** A comment line to every stream this often, so proxies keep idle connections open. */
  pingIntervalMs: number;
  /** Each inventory is recomputed at most this often, however many changes arrive. */
  minRecomputeIntervalMs: number;
  /** Recompute anyway after this long without a change: the safety net for a lost message. */
  resyncIntervalMs: number;
  /** A feed nobody watches is kept this long, so a reconnecting client can resume from it. */
  idleMs: number;
  /** Changes each feed keeps for resuming after a reconnect. */
  historyLength: number;
  /** A client with more than this many bytes not yet sent is disconnected (it reconnects and resumes). */
  maxBufferedBytes: number;
}

export const DEFAULT_SEAT_STREAM_OPTIONS: SeatStreamHubOptions = {
  maxStreams: 10_000,
  pingIntervalMs: 15_000,
  minRecomputeIntervalMs: 150,
  resyncIntervalMs: 15_000,
  idleMs: 30_000,
  historyLength: 500,
  maxBufferedBytes: 8 * 1024 * 1024,
};

interface SeatStreamHubDeps {
  db: Db;
  holdStore: HoldStore;
  holdService: HoldService;
  bus: SeatChangeBus;
  metrics: Metrics;
  log: { warn(object: object, message: string): void };
}

/** An opened stream, ready to attach to its response; attaching sends the snapshot or the missed changes. */
export interface PreparedSeatStream {
  attach(sink: SeatStreamSink): () => void;
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** One segment of one inventory as seen by this process: its state, its recent changes, its streams. */
class SegmentFeed {
  readonly epoch = randomBytes(6).toString('hex');
  seq = 0;
  state: FeedState | null = null;
  nextExpiryAt: Date | null = null;
  readonly history: { seq: number; text: string }[] = [];
  readonly sinks = new Set<SeatStreamSink>();
  readonly firstState = deferred();
  idleSince: number = Date.now();
  private snapshot: { seq: number; text: string } | undefined;

  constructor(
    readonly key: string,
    readonly segment: Segment,
  ) {}

  snapshotMessage(inventoryId: string): string {
    if (this.snapshot?.seq !== this.seq) {
      const text = sseMessage(streamEventId(this.epoch, this.seq), 'snapshot', snapshotData(inventoryId, this.state!));
      this.snapshot = { seq: this.seq, text };
    }
    return this.snapshot.text;
  }

  /** The messages after `seq`, when this feed still has every one of them; else null. */
  missedSince(epoch: string, seq: number): string[] | null {
    if (epoch !== this.epoch || seq > this.seq) return null;
    if (seq === this.seq) return [];
    const first = this.history[0];
    if (!first || first.seq > seq + 1) return null;
    return this.history.filter((message) => message.seq > seq).map((message) => message.text);
  }
}

/** Everything this process shows of one inventory; recomputed together, at most once per interval. */
class InventoryFeed {
  readonly segments = new Map<string, SegmentFeed>();
  readonly ready: Promise<void>;
  private unsubscribe: (() => void) | undefined;
  private blockedSeatIds: string[] = [];
  private gaAreas: GaAreaCapacity[] = [];
  private timer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private running = false;
  private dirty = false;
  private lastStartedAt = 0;
  private disposed = false;

  constructor(
    readonly target: Pick<SeatStreamTarget, 'inventory' | 'layoutId'>,
    private readonly hub: SeatStreamHub,
  ) {
    this.ready = this.start();
  }

  private async start(): Promise<void> {
    // Subscribe before the first read: a change committed after it is either in the read or announced.
    this.unsubscribe = await this.hub.deps.bus.subscribe(this.target.inventory.id, () => {
      this.hub.deps.metrics.seatChangesReceived.inc();
      this.requestRecompute();
    });
    if (this.disposed) this.unsubscribe();
    await this.loadStatics();
  }

  /** Blocked seats come from the layout (immutable); GA capacities are per inventory and re-read on resync. */
  private async loadStatics(): Promise<void> {
    const { db, holdService } = this.hub.deps;
    const [layout, areas, capacities] = await Promise.all([
      holdService.layoutSeats(this.target.layoutId),
      findLayoutGaAreas(db, this.target.layoutId),
      findGaCapacities(db, this.target.inventory.id),
    ]);
    const blocked: string[] = [];
    for (const [id, seat] of layout.seats) if (seat.blocked) blocked.push(id);
    this.blockedSeatIds = blocked;
    this.gaAreas = areas.map((area) => ({ id: area.id, capacity: capacities.get(area.id) ?? area.capacity }));
  }

  segmentFeed(segment: Segment): SegmentFeed {
    const key = `${segment.from}-${segment.to}`;
    let feed = this.segments.get(key);
    if (!feed) {
      feed = new SegmentFeed(key, segment);
      this.segments.set(key, feed);
      this.requestRecompute();
    }
    feed.idleSince = Date.now();
    return feed;
  }

  /** Recomputes soon: at once when idle, else when the minimum interval since the last run has passed. */
  requestRecompute(): void {
    if (this.disposed) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastStartedAt + this.hub.options.minRecomputeIntervalMs - Date.now());
    this.timer = setTimeout(() => void this.run(), wait);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.disposed) return;
    this.running = true;
    this.dirty = false;
    this.lastStartedAt = Date.now();
    const { metrics, holdStore, log } = this.hub.deps;
    const stopTimer = metrics.seatFeedRecomputeDuration.startTimer();
    const segments = [...this.segments.values()];
    let failed = false;
    try {
      await this.ready;
      const results = await Promise.allSettled(
        segments.map((feed) => holdStore.occupancy(this.target.inventory, feed.segment)),
      );
      if (this.disposed) return;
      results.forEach((result, i) => {
        const feed = segments[i]!;
        if (result.status === 'fulfilled') {
          this.apply(feed, feedStateOf(this.blockedSeatIds, this.gaAreas, result.value), result.value.nextExpiryAt);
        } else {
          failed = true;
          this.fail(feed, result.reason);
        }
      });
    } catch (error) {
      failed = true;
      for (const feed of segments) this.fail(feed, error);
    } finally {
      stopTimer();
      metrics.seatFeedRecomputes.inc();
      this.running = false;
    }
    if (this.disposed) return;
    if (failed) {
      log.warn({ inventoryId: this.target.inventory.id }, 'live seat map recompute failed; retrying');
      setTimeout(() => this.requestRecompute(), 1000).unref();
    }
    if (this.dirty) this.requestRecompute();
    this.scheduleExpiry();
    this.scheduleResync();
  }

  /** A failed first read fails the streams waiting for it; a feed already showing keeps its last state. */
  private fail(feed: SegmentFeed, error: unknown): void {
    if (feed.state) return;
    feed.firstState.reject(error);
    if (this.segments.get(feed.key) === feed) this.segments.delete(feed.key);
  }

  private apply(feed: SegmentFeed, state: FeedState, nextExpiryAt: Date | null): void {
    feed.nextExpiryAt = nextExpiryAt;
    if (!feed.state) {
      feed.state = state;
      feed.firstState.resolve();
      return;
    }
    const change = diffFeedStates(feed.state, state);
    feed.state = state;
    if (!change) return;
    feed.seq += 1;
    const text = sseMessage(streamEventId(feed.epoch, feed.seq), 'seats', JSON.stringify(change));
    feed.history.push({ seq: feed.seq, text });
    if (feed.history.length > this.hub.options.historyLength) feed.history.shift();
    for (const sink of feed.sinks) this.hub.send(feed, sink, text);
  }

  /** Expiry by time needs no message: look again when the first live hold expires. */
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    let next: number | null = null;
    for (const feed of this.segments.values()) {
      const at = feed.nextExpiryAt?.getTime();
      if (at !== undefined && (next === null || at < next)) next = at;
    }
    if (next === null) return;
    // A few milliseconds late, so the hold has certainly expired by the database's clock.
    this.expiryTimer = setTimeout(() => this.requestRecompute(), Math.max(0, next - Date.now() + 5));
    this.expiryTimer.unref();
  }

  private scheduleResync(): void {
    clearTimeout(this.resyncTimer);
    // Spread over ±20 % so feeds opened together do not all read the database in the same instant.
    const interval = this.hub.options.resyncIntervalMs * (0.8 + Math.random() * 0.4);
    this.resyncTimer = setTimeout(() => {
      void this.loadStatics().catch(() => undefined);
      this.requestRecompute();
    }, interval);
    this.resyncTimer.unref();
  }

  /** Drops segments nobody watched for a while; true when none is left. */
  dropIdleSegments(now: number, idleMs: number): boolean {
    for (const [key, feed] of this.segments) {
      if (feed.sinks.size === 0 && now - feed.idleSince >= idleMs) this.segments.delete(key);
    }
    return this.segments.size === 0;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.expiryTimer);
    clearTimeout(this.resyncTimer);
    this.unsubscribe?.();
    for (const feed of this.segments.values()) {
      for (const sink of feed.sinks) sink.end();
      feed.sinks.clear();
    }
  }
}

/**
 * Live seat maps of this process. Every stream of the same inventory and segment shares one feed: one
 * subscription to the seat-change bus, one read of the occupancy per change (coalesced to at most one per
 * `minRecomputeIntervalMs`), one diff, and the same message text written to every stream. Thousands of
 * buyers watching one on-sale therefore cost this process a few reads per second, not thousands.
 */
export class SeatStreamHub {
  private readonly feeds = new Map<string, InventoryFeed>();
  private readonly ticker: NodeJS.Timeout;
  private streams = 0;
  private closed = false;

  constructor(
    readonly deps: SeatStreamHubDeps,
    readonly options: SeatStreamHubOptions = DEFAULT_SEAT_STREAM_OPTIONS,
  ) {
    this.ticker = setInterval(() => this.tick(), options.pingIntervalMs);
    this.ticker.unref();
  }

  get openStreams(): number {
    return this.streams;
  }

  /**
   * Prepares a stream: the feed is subscribed and has its first state before anything is sent, so a
   * failure is still an ordinary error response. `lastEventId` resumes a stream after a reconnect.
   */
  async open(target: SeatStreamTarget, lastEventId?: string): Promise<PreparedSeatStream> {
    if (this.closed) throw new AppError('service.unavailable', 'The server is shutting down');
    if (this.streams >= this.options.maxStreams) {
      throw new AppError('service.unavailable', 'Too many live seat maps are open on this server; try again');
    }
    const inventoryFeed = this.inventoryFeed(target);
    // The segment joins its feed at once: a feed with a segment is never dropped as idle meanwhile.
    const feed = inventoryFeed.segmentFeed(target.segment);
    try {
      await inventoryFeed.ready;
      await feed.firstState.promise;
    } catch (error) {
      this.deps.log.warn({ err: error, inventoryId: target.inventory.id }, 'live seat map could not start');
      throw new AppError('service.unavailable', 'The live seat map is not available right now; try again');
    }
    const resumeFrom = parseStreamEventId(lastEventId);
    return {
      attach: (sink) => {
        if (this.closed) {
          sink.end();
          return () => undefined;
        }
        const missed = resumeFrom ? feed.missedSince(resumeFrom.epoch, resumeFrom.seq) : null;
        if (missed) {
          for (const text of missed) sink.write(text);
        } else {
          sink.write(feed.snapshotMessage(target.inventory.id));
        }
        feed.sinks.add(sink);
        this.streams += 1;
        this.deps.metrics.seatStreamsOpen.inc();
        let attached = true;
        return () => {
          if (!attached) return;
          attached = false;
          feed.sinks.delete(sink);
          this.streams -= 1;
          this.deps.metrics.seatStreamsOpen.dec();
          if (feed.sinks.size === 0) feed.idleSince = Date.now();
        };
      },
    };
  }

  /** Writes to one stream, or disconnects it when it has fallen too far behind (it will resume). */
  send(_feed: SegmentFeed, sink: SeatStreamSink, text: string): void {
    if (sink.buffered > this.options.maxBufferedBytes) {
      sink.end();
      return;
    }
    sink.write(text);
  }

  /** Ends every stream and feed (before the HTTP server closes, which would otherwise wait for them). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.ticker);
    for (const feed of this.feeds.values()) feed.dispose();
    this.feeds.clear();
  }

  private inventoryFeed(target: SeatStreamTarget): InventoryFeed {
    const key = target.inventory.id;
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = new InventoryFeed(target, this);
      const created = feed;
      this.feeds.set(key, created);
      // A feed that could not subscribe or read its layout is forgotten, so the next stream tries again.
      created.ready.catch(() => {
        if (this.feeds.get(key) === created) {
          this.feeds.delete(key);
          created.dispose();
        }
      });
    }
    return feed;
  }

  private tick(): void {
    const now = Date.now();
    for (const [key, feed] of this.feeds) {
      for (const segment of feed.segments.values()) {
        for (const sink of segment.sinks) this.send(segment, sink, ': ping\n\n');
      }
      if (feed.dropIdleSegments(now, this.options.idleMs)) {
        this.feeds.delete(key);
        feed.dispose();
      }
    }
  }
}
