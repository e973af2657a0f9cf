import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeatMapLayout, SeatStatus } from './types';

interface SnapshotMessage {
  inventoryId: string;
  seats: Record<string, Exclude<SeatStatus, 'available'>>;
  ga?: Record<string, { available: number }>;
}

interface ChangeMessage {
  changes: Record<string, SeatStatus>;
  ga?: Record<string, { available: number }>;
}

export interface LiveSeats {
  statusOf: (seatId: string) => SeatStatus;
  gaAvailable: (areaId: string) => number | undefined;
  /** Bumps on every change: memo keys for whoever draws statuses. */
  version: number;
  /** 'live' while the stream is open; 'connecting' before and between reconnects; 'offline' when it gave up. */
  connection: 'connecting' | 'live' | 'offline';
}

/**
 * Live seat statuses: the seat map as loaded, then the Server-Sent Events stream of the availability
 * contract — a `snapshot` replaces everything (on every connection, unless the server resumed from
 * Last-Event-ID, which EventSource sends by itself), `seats` messages merge changes. When the stream
 * cannot be opened at all, `onStreamLost` is called so the page can fall back to reloading the map.
 */
export function useLiveSeats(
  layout: SeatMapLayout | undefined,
  streamUrl: string | null,
  onStreamLost?: () => void,
): LiveSeats {
  const base = useMemo(() => {
    const statuses = new Map<string, SeatStatus>();
    for (const seat of layout?.seats ?? []) statuses.set(seat.id, seat.status);
    const ga = new Map<string, number>();
    for (const area of layout?.gaAreas ?? []) ga.set(area.id, area.available);
    return { statuses, ga };
  }, [layout]);
  const snapshot = useRef<Map<string, SeatStatus> | null>(null);
  const ga = useRef(new Map<string, number>());
  const [version, setVersion] = useState(0);
  const [connection, setConnection] = useState<LiveSeats['connection']>('connecting');
  const lost = useRef(onStreamLost);
  lost.current = onStreamLost;

  // A fresh seat map (after a reload) is the truth until the stream says otherwise.
  useEffect(() => {
    snapshot.current = null;
    ga.current = new Map();
    setVersion((v) => v + 1);
  }, [base]);

  useEffect(() => {
    if (!streamUrl || typeof EventSource === 'undefined') return;
    const source = new EventSource(streamUrl);
    let failures = 0;
    const mergeGa = (areas: Record<string, { available: number }> | undefined) => {
      for (const [areaId, value] of Object.entries(areas ?? {})) ga.current.set(areaId, value.available);
    };
    source.addEventListener('open', () => {
      failures = 0;
      setConnection('live');
    });
    source.addEventListener('snapshot', (event) => {
      const message = JSON.parse((event as MessageEvent<string>).data) as SnapshotMessage;
      snapshot.current = new Map(Object.entries(message.seats));
      ga.current = new Map();
      mergeGa(message.ga);
      setConnection('live');
      setVersion((v) => v + 1);
    });
    source.addEventListener('seats', (event) => {
      const message = JSON.parse((event as MessageEvent<string>).data) as ChangeMessage;
      // Changes before the first snapshot apply on top of the loaded map.
      const target = snapshot.current ?? new Map([...base.statuses].filter(([, status]) => status !== 'available'));
      for (const [seatId, status] of Object.entries(message.changes)) {
        if (status === 'available') target.delete(seatId);
        else target.set(seatId, status);
      }
      snapshot.current = target;
      mergeGa(message.ga);
      setVersion((v) => v + 1);
    });
    source.addEventListener('error', () => {
      failures++;
      if (source.readyState === EventSource.CLOSED || failures > 5) {
        // The browser gave up (e.g. the stream answered an error): stop and let the page poll instead.
        source.close();
        setConnection('offline');
        lost.current?.();
      } else {
        setConnection('connecting');
      }
    });
    return () => source.close();
  }, [streamUrl, base]);

  return useMemo(
    () => ({
      statusOf: (seatId: string) => {
        const live = snapshot.current;
        if (live) return live.get(seatId) ?? 'available';
        return base.statuses.get(seatId) ?? 'available';
      },
      gaAvailable: (areaId: string) => ga.current.get(areaId) ?? base.ga.get(areaId),
      version,
      connection,
    }),
    // version stands for every change of the refs.
    [base, version, connection],
  );
}
