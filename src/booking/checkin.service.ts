import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { Clock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import {
  findTicketDetailByCode,
  findTicketState,
  findTripStopIndexes,
  markCheckedIn,
  type TicketDetailRow,
} from './ticket.repository.js';

export interface CheckinInput {
  code: string;
  /** Where the scanner stands: an event's door, or a trip (and optionally the stop it is at). */
  eventId?: string | undefined;
  tripId?: string | undefined;
  stopId?: string | undefined;
}

export interface CheckinResult {
  ticket: TicketDetailRow;
  checkedInAt: Date;
}

/**
 * Check-in at the door or the bus step. A ticket is valid once: the first scan marks it used, later scans
 * are told when it was first used. Unknown codes and other organizers' tickets look the same (404), so a
 * scanner learns nothing about tickets it may not see.
 */
export class CheckinService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async checkIn(principal: Principal, input: CheckinInput): Promise<CheckinResult> {
    const ticket = await findTicketDetailByCode(this.db, input.code.trim().toUpperCase());
    if (!ticket || !canManageOrganizer(principal, ticket.organizer_id)) {
      throw new AppError('checkin.invalid', 'This is not a valid ticket here');
    }
    if (input.eventId !== undefined && (ticket.inventory_kind !== 'event' || ticket.inventory_id !== input.eventId)) {
      throw new AppError('checkin.wrong_event', 'This ticket is for another event or trip', {
        ...inventoryOf(ticket),
      });
    }
    if (
      (input.tripId !== undefined || input.stopId !== undefined) &&
      (ticket.inventory_kind !== 'trip' || (input.tripId !== undefined && ticket.inventory_id !== input.tripId))
    ) {
      throw new AppError('checkin.wrong_trip', 'This ticket is for another trip or event', { ...inventoryOf(ticket) });
    }
    if (input.stopId !== undefined) {
      const indexes = await findTripStopIndexes(this.db, ticket.inventory_id, input.stopId);
      // Boarding happens from the first stop of the segment up to, not including, the last.
      if (!indexes.some((index) => index >= ticket.from_index && index < ticket.to_index)) {
        throw new AppError('checkin.wrong_segment', 'This ticket does not travel from this stop', {
          fromStopId: ticket.from_stop_id,
          toStopId: ticket.to_stop_id,
        });
      }
    }
    if (ticket.status === 'cancelled') throw ticketCancelled();
    if (ticket.checked_in_at !== null) throw alreadyUsed(ticket.checked_in_at);

    const checkedInAt = await markCheckedIn(this.db, ticket.id, principal.userId, this.clock.now());
    if (checkedInAt) return { ticket: { ...ticket, checked_in_at: checkedInAt }, checkedInAt };
    // Another scan (or a cancellation) got there first.
    const state = await findTicketState(this.db, ticket.id);
    if (state?.status === 'cancelled') throw ticketCancelled();
    if (state?.checked_in_at) throw alreadyUsed(state.checked_in_at);
    throw new AppError('checkin.invalid', 'This is not a valid ticket here');
  }
}

function inventoryOf(ticket: TicketDetailRow): { eventId: string } | { tripId: string } {
  return ticket.inventory_kind === 'event' ? { eventId: ticket.inventory_id } : { tripId: ticket.inventory_id };
}

function ticketCancelled(): AppError {
  return new AppError('checkin.ticket_cancelled', 'This ticket was cancelled and is not valid');
}

function alreadyUsed(firstUsedAt: Date): AppError {
  return new AppError('checkin.already_used', `This ticket was already used at ${firstUsedAt.toISOString()}`, {
    firstUsedAt: firstUsedAt.toISOString(),
  });
}
