import { Type, type Static } from 'typebox';
import { Id } from '../inventory/hold.schemas.js';

const LastEventId = Type.String({
  maxLength: 64,
  description:
    'Resume after this message id, for clients that cannot send the Last-Event-ID header (EventSource sends ' +
    'it by itself on reconnect)',
});

export const EventSeatStreamQuery = Type.Object(
  { lastEventId: Type.Optional(LastEventId) },
  { additionalProperties: false },
);
export type EventSeatStreamQuery = Static<typeof EventSeatStreamQuery>;

export const TripSeatStreamQuery = Type.Object(
  { from: Type.Optional(Id), to: Type.Optional(Id), lastEventId: Type.Optional(LastEventId) },
  { additionalProperties: false },
);
export type TripSeatStreamQuery = Static<typeof TripSeatStreamQuery>;

export const SeatStreamHeaders = Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) });

/** The stream itself is documented in words: OpenAPI 3.0 has no way to describe a stream of messages. */
export const SEAT_STREAM_DESCRIPTION = [
  'Server-Sent Events (`text/event-stream`). The first message is `event: snapshot` with',
  '`{"inventoryId","seats":{"st_…":"held"|"sold"|"blocked"},"ga":{"ga_…":{"available":n}}}` — `seats` lists only',
  'seats that are not available. Then `event: seats` with `{"changes":{"st_…":"available"|"held"|"sold"},',
  '"ga":{…}}` (`ga` only when an area changed) whenever seats change, within a second, in every API process.',
  'Every message has an `id`; on reconnect the browser sends it as `Last-Event-ID` and the stream either',
  'replays the changes missed or starts again with a snapshot. A `: ping` comment comes every 15 s.',
].join(' ');

export const SeatStreamResponse = {
  description: 'A stream of seat-status messages',
  content: { 'text/event-stream': { schema: Type.String() } },
};
