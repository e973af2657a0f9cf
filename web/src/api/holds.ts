import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './client';
import type { Hold } from './types';

/** The inventory a selection is for: an event, or a trip between two stops. */
export type HoldTarget =
  { kind: 'event'; eventId: string } | { kind: 'trip'; tripId: string; from: string; to: string };

/** At most this many seats plus standing places in one hold (the server's MAX_SEATS_PER_HOLD default). */
export const MAX_SELECTION = 10;

const SYNC_DELAY_MS = 350;

function holdBody(target: HoldTarget, seatIds: string[], ga: Map<string, number>) {
  const areas = [...ga.entries()]
    .filter(([, quantity]) => quantity > 0)
    .map(([areaId, quantity]) => ({ areaId, quantity }));
  return {
    ...(target.kind === 'event'
      ? { eventId: target.eventId }
      : { tripId: target.tripId, from: target.from, to: target.to }),
    ...(seatIds.length ? { seatIds } : {}),
    ...(areas.length ? { ga: areas } : {}),
  };
}

function sameSelection(hold: Hold, seatIds: string[], ga: Map<string, number>): boolean {
  const held = new Set(hold.seats.map((seat) => seat.id));
  if (held.size !== seatIds.length || seatIds.some((id) => !held.has(id))) return false;
  const heldGa = new Map(hold.ga.map((area) => [area.areaId, area.quantity]));
  const wanted = [...ga.entries()].filter(([, quantity]) => quantity > 0);
  return heldGa.size === wanted.length && wanted.every(([areaId, quantity]) => heldGa.get(areaId) === quantity);
}

export interface SeatSelection {
  selected: ReadonlySet<string>;
  ga: ReadonlyMap<string, number>;
  hold: Hold | null;
  /** A hold request is on its way. */
  syncing: boolean;
  /** The last failure (an ApiError), shown next to the map. */
  error: unknown;
  /** Seats someone else took while the buyer was choosing (told once, then cleared). */
  lostSeatIds: string[];
  toggleSeat(seatId: string): void;
  setGaQuantity(areaId: string, quantity: number): void;
  clear(): void;
  /** The hold ran out: forget it and the selection. */
  expire(): void;
}

/**
 * The buyer's selection on one seat map, mirrored into one hold: each change (after a short pause, so
 * quick clicks make one request) releases the previous hold and holds the new set, all or nothing. The
 * hold store has no "replace" operation, so between the release and the new hold — one round trip —
 * another buyer could take a seat that was held; the answer then names it and it is dropped.
 */
export function useSeatSelection(target: HoldTarget, initial?: { hold: Hold } | null): SeatSelection {
  const [selected, setSelected] = useState<Set<string>>(
    () => new Set(initial?.hold.seats.map((seat) => seat.id) ?? []),
  );
  const [ga, setGa] = useState<Map<string, number>>(
    () => new Map(initial?.hold.ga.map((area) => [area.areaId, area.quantity]) ?? []),
  );
  const [hold, setHold] = useState<Hold | null>(initial?.hold ?? null);
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [lostSeatIds, setLostSeatIds] = useState<string[]>([]);
  const holdRef = useRef<Hold | null>(initial?.hold ?? null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<number | undefined>(undefined);
  const dirty = useRef(false);
  const targetKey = JSON.stringify(target);

  const release = async (current: Hold | null) => {
    if (!current) return;
    await api(`/api/holds/${current.token}`, { method: 'DELETE' }).catch(() => undefined);
  };

  const sync = useCallback(
    (seatIds: string[], areas: Map<string, number>) => {
      chain.current = chain.current.then(async () => {
        const current = holdRef.current;
        const wantsNothing = seatIds.length === 0 && [...areas.values()].every((quantity) => quantity <= 0);
        if (current && sameSelection(current, seatIds, areas)) return;
        setSyncing(true);
        try {
          await release(current);
          holdRef.current = null;
          setHold(null);
          if (wantsNothing) return;
          let wanted = seatIds;
          for (let attempt = 0; attempt < 2; attempt++) {
            try {
              const created = await api<Hold>('/api/holds', {
                method: 'POST',
                body: holdBody(JSON.parse(targetKey) as HoldTarget, wanted, areas),
              });
              holdRef.current = created;
              setHold(created);
              setError(null);
              return;
            } catch (failure) {
              if (failure instanceof ApiError && failure.code === 'inventory.seat_unavailable') {
                const taken = new Set(
                  ((failure.details as { seatIds?: string[] } | undefined)?.seatIds ?? []) as string[],
                );
                setLostSeatIds([...taken]);
                wanted = wanted.filter((id) => !taken.has(id));
                setSelected((previous) => new Set([...previous].filter((id) => !taken.has(id))));
                setError(failure);
                if (wanted.length === 0 && [...areas.values()].every((quantity) => quantity <= 0)) return;
                continue;
              }
              throw failure;
            }
          }
        } catch (failure) {
          setError(failure);
        } finally {
          setSyncing(false);
        }
      });
    },
    [targetKey],
  );

  // Each change of the selection schedules one sync of the hold.
  useEffect(() => {
    if (!dirty.current) return;
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => sync([...selected].sort(), ga), SYNC_DELAY_MS);
    return () => window.clearTimeout(timer.current);
  }, [selected, ga, sync]);

  const toggleSeat = useCallback((seatId: string) => {
    dirty.current = true;
    setLostSeatIds([]);
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(seatId)) next.delete(seatId);
      else next.add(seatId);
      return next;
    });
  }, []);

  const setGaQuantity = useCallback((areaId: string, quantity: number) => {
    dirty.current = true;
    setGa((previous) => new Map(previous).set(areaId, Math.max(0, quantity)));
  }, []);

  const clear = useCallback(() => {
    dirty.current = true;
    setSelected(new Set());
    setGa(new Map());
  }, []);

  const expire = useCallback(() => {
    dirty.current = false;
    holdRef.current = null;
    setHold(null);
    setSelected(new Set());
    setGa(new Map());
  }, []);

  return { selected, ga, hold, syncing, error, lostSeatIds, toggleSeat, setGaQuantity, clear, expire };
}

/** Seconds until an instant, ticking every second; 0 once it has passed. */
export function useSecondsLeft(expiresAt: string | null | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const interval = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(interval);
  }, [expiresAt]);
  if (!expiresAt) return null;
  return Math.max(0, Math.round((new Date(expiresAt).getTime() - now) / 1000));
}
