import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventOnSale, type EventFixture } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

describe.each(availableHoldStores())('hold creation rate limit (%s hold store)', (holdStore) => {
  let t: TestApp;
  let event: EventFixture;

  beforeAll(async () => {
    t = await createTestApp({ holdStore, env: { HOLD_RATE_LIMIT_PER_MINUTE: '3' } });
    event = await createEventOnSale(t.deps.database.db);
  });
  afterAll(async () => t?.close());

  // Random client addresses: with Redis the counters outlive this test run for a minute.
  const octet = () => 1 + Math.floor(Math.random() * 250);
  const limited = `10.${octet()}.${octet()}.${octet()}`;
  const other = `10.${octet()}.${octet()}.${octet()}`;

  it('answers 429 in the error shape once a client exceeds its holds per minute, without holding', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/holds',
        payload: { eventId: event.eventId, seatIds: [event.seatIds[i]] },
        headers: { 'x-session-id': `rate-limit-session-${i}-aaaa` },
        remoteAddress: limited,
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(response.json().error.code).toBe('request.rate_limited');
        expect(response.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const occupancy = await t.deps.holdStore.occupancy({ kind: 'event', id: event.eventId }, { from: 0, to: 1 });
    expect(occupancy.heldSeatIds.has(event.seatIds[3]!)).toBe(false);

    // Another client is not affected, and reads are never limited.
    const otherClient = await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      payload: { eventId: event.eventId, seatIds: [event.seatIds[4]] },
      headers: { 'x-session-id': 'rate-limit-session-other' },
      remoteAddress: other,
    });
    expect(otherClient.statusCode).toBe(201);
    const reads = await t.app.inject({ method: 'GET', url: `/api/events/${event.eventId}`, remoteAddress: limited });
    expect(reads.statusCode).toBe(200);
  });
});
