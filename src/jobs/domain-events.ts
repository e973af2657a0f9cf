import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { newId } from '../shared/ids.js';
import { enqueueJob, QUEUES } from './job-queue.js';

/**
 * Domain events: state changes other parts of the system react to (buyers are told, organizers' webhooks
 * called). Each is enqueued as one job inside the transaction that makes the change, so it exists exactly
 * when the change committed; its handler (src/notifications/domain-event.handler.ts) fans it out into
 * notification and webhook jobs. The hot path pays one insert.
 */
export type DomainEventData =
  | { type: 'order.confirmed'; orderId: string }
  | {
      type: 'order.cancelled';
      orderId: string;
      /** The lines cancelled now; `whole` when the order is cancelled as a whole. */
      lineIds: string[];
      whole: boolean;
      refundAmount: number;
      fee: number;
      by: 'customer' | 'organizer';
    }
  | {
      type: 'order.refunded';
      orderId: string;
      refundId: string;
      amount: number;
      /** Why, in the refund's own words (kept with the refund). */
      reason: string;
      /** auto: the payment came too late; duplicate: a second payment; cancellation: the buyer or organizer cancelled. */
      cause: 'auto' | 'duplicate' | 'cancellation';
    }
  | {
      type: 'trip.delayed';
      tripId: string;
      delayMinutes: number;
      /** The delay applies from this stop on (arrival there and everything after). */
      fromStopIndex: number;
      reason: string | null;
    }
  | {
      type: 'trip.cancelled';
      tripId: string;
      /** The legs no longer served: stop indexes [from, to); the whole trip when absent. */
      fromStopIndex: number | null;
      toStopIndex: number | null;
      reason: string | null;
      /** False when the organizer cancelled the trip: each order then gets its own cancellation message. */
      notifyPassengers: boolean;
    }
  | { type: 'event.cancelled'; eventId: string };

export type DomainEventType = DomainEventData['type'];

/** A domain event as it travels in its job. `id` is the event's identity for every consumer (evn_…). */
export type DomainEvent = DomainEventData & { id: string; organizerId: string; occurredAt: string };

/** Enqueues a domain event in `trx`; it is delivered only if `trx` commits. Returns the event id. */
export async function enqueueDomainEvent(
  trx: Transaction<Database>,
  organizerId: string,
  event: DomainEventData,
  occurredAt: Date = new Date(),
): Promise<string> {
  const id = newId('domainEvent');
  const job: DomainEvent = { ...event, id, organizerId, occurredAt: occurredAt.toISOString() };
  await enqueueJob(trx, QUEUES.domainEvents, job);
  return id;
}

async function organizerOfTrip(trx: Transaction<Database>, tripId: string): Promise<string> {
  const trip = await trx.selectFrom('trips').select('organizer_id').where('id', '=', tripId).executeTakeFirstOrThrow();
  return trip.organizer_id;
}

/** What a realtime feed (or an operator) knows about a late trip. */
export interface TripDelayInput {
  tripId: string;
  /** Minutes late, from `fromStopIndex` on (0 or more). */
  delayMinutes: number;
  /** First stop whose arrival is late (0 = the whole trip). */
  fromStopIndex?: number;
  reason?: string;
}

/**
 * For the trip-delay source (GTFS-Realtime ingestion, an operator's form): call inside the transaction that
 * records the delay. Passengers whose segment reaches stop `fromStopIndex` or later are told the new time
 * at their stop (email/SMS by their choice), and the organizer's `trip.delayed` webhooks fire. Call it when
 * the delay changes enough to matter to passengers (not on every feed update): each call is one message.
 */
export async function enqueueTripDelayed(trx: Transaction<Database>, input: TripDelayInput): Promise<string> {
  return enqueueDomainEvent(trx, await organizerOfTrip(trx, input.tripId), {
    type: 'trip.delayed',
    tripId: input.tripId,
    delayMinutes: Math.max(0, Math.round(input.delayMinutes)),
    fromStopIndex: Math.max(0, input.fromStopIndex ?? 0),
    reason: input.reason ?? null,
  });
}

export interface TripCancelledInput {
  tripId: string;
  /** Legs [fromStopIndex, toStopIndex) no longer served; both absent = the whole trip. */
  fromStopIndex?: number;
  toStopIndex?: number;
  reason?: string;
}

/**
 * For a realtime feed that reports a trip (or part of it) cancelled: call inside the transaction that
 * records it. Passengers whose segment overlaps the cancelled legs are told, and `trip.cancelled` webhooks
 * fire. It does not cancel orders or refund — that is the organizer's decision
 * (POST /api/admin/trips/{id}/cancel, which emits its own event).
 */
export async function enqueueTripCancelled(trx: Transaction<Database>, input: TripCancelledInput): Promise<string> {
  return enqueueDomainEvent(trx, await organizerOfTrip(trx, input.tripId), {
    type: 'trip.cancelled',
    tripId: input.tripId,
    fromStopIndex: input.fromStopIndex ?? null,
    toStopIndex: input.toStopIndex ?? null,
    reason: input.reason ?? null,
    notifyPassengers: true,
  });
}
