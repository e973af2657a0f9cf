import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { EventSeatMap, TripSeatMap } from './types';

/** Seat maps change with every hold: always fetched fresh, then kept live by the stream. */
export function useEventSeatMap(eventId: string) {
  return useQuery({
    queryKey: ['seatMap', 'event', eventId],
    queryFn: ({ signal }) =>
      api<EventSeatMap>(`/api/events/${encodeURIComponent(eventId)}/seats`, { signal, auth: false }),
    staleTime: 0,
  });
}

export function useTripSeatMap(tripId: string, from: string, to: string) {
  return useQuery({
    queryKey: ['seatMap', 'trip', tripId, from, to],
    queryFn: ({ signal }) =>
      api<TripSeatMap>(`/api/trips/${encodeURIComponent(tripId)}/seats?${new URLSearchParams({ from, to })}`, {
        signal,
        auth: false,
      }),
    staleTime: 0,
  });
}
