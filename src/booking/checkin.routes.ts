import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { AppError } from '../shared/errors.js';
import { CheckinBody, CheckinResponse } from './booking.schemas.js';
import { CheckinService } from './checkin.service.js';
import { presentTicket } from './ticket.routes.js';

/** Scanning tickets at the door or the bus step (organizer staff and admins). */
export const checkinRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const checkins = new CheckinService(deps.database.db, deps.clock);

  app.post(
    '/checkins',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Check a ticket in by its code: valid once',
        description:
          'Send the scanned `code`, and where the scanner is: `eventId`, or `tripId` (with `stopId` to check that ' +
          'the passenger boards within their segment). 409 `checkin.already_used` carries `firstUsedAt`; an ' +
          'unknown code or another organizer’s ticket is 404 `checkin.invalid`.',
        body: CheckinBody,
        response: { 200: CheckinResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = requireStaff(request);
      const body = request.body;
      if (body.eventId !== undefined && (body.tripId !== undefined || body.stopId !== undefined)) {
        throw new AppError('request.invalid', 'Send eventId, or tripId (and stopId) — not both');
      }
      const result = await checkins.checkIn(principal, body);
      return {
        result: 'valid' as const,
        checkedInAt: result.checkedInAt.toISOString(),
        ticket: presentTicket(result.ticket),
      };
    },
  );
};
