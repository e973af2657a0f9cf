import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type {
  EventDetail,
  EventFilterOptions,
  EventListItem,
  EventSeries,
  Page,
  PopularRoute,
  TripDetail,
  TripSearch,
} from './types';

export interface EventFilters {
  q?: string;
  city?: string;
  date?: string;
  category?: string;
  language?: string;
  maxPrice?: number;
  page?: number;
}

function eventParams(filters: EventFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '' && value !== null) params.set(key, String(value));
  }
  return params;
}

/** Show times of titles, grouped by title (the listing and the home page). */
export function useEventSeries(filters: EventFilters, pageSize = 12) {
  return useQuery({
    queryKey: ['events', 'series', filters, pageSize],
    queryFn: ({ signal }) => {
      const params = eventParams(filters);
      params.set('groupBy', 'series');
      params.set('pageSize', String(pageSize));
      return api<Page<EventSeries>>(`/api/events?${params}`, { signal, auth: false });
    },
    placeholderData: keepPreviousData,
  });
}

export function useEventList(filters: EventFilters, pageSize = 20) {
  return useQuery({
    queryKey: ['events', 'list', filters, pageSize],
    queryFn: ({ signal }) => {
      const params = eventParams(filters);
      params.set('pageSize', String(pageSize));
      return api<Page<EventListItem>>(`/api/events?${params}`, { signal, auth: false });
    },
    placeholderData: keepPreviousData,
  });
}

export function useEventFilterOptions() {
  return useQuery({
    queryKey: ['events', 'filters'],
    queryFn: ({ signal }) => api<EventFilterOptions>('/api/events/filters', { signal, auth: false }),
    staleTime: 5 * 60_000,
  });
}

export function useEvent(eventId: string) {
  return useQuery({
    queryKey: ['event', eventId],
    queryFn: ({ signal }) => api<EventDetail>(`/api/events/${encodeURIComponent(eventId)}`, { signal, auth: false }),
  });
}

export function useTripSearch(search: { from: string; to: string; date: string } | null) {
  return useQuery({
    queryKey: ['trips', search],
    queryFn: ({ signal }) => api<TripSearch>(`/api/trips?${new URLSearchParams(search!)}`, { signal, auth: false }),
    enabled: search !== null,
  });
}

export function useTrip(tripId: string) {
  return useQuery({
    queryKey: ['trip', tripId],
    queryFn: ({ signal }) => api<TripDetail>(`/api/trips/${encodeURIComponent(tripId)}`, { signal, auth: false }),
  });
}

export function usePopularRoutes() {
  return useQuery({
    queryKey: ['routes', 'popular'],
    queryFn: ({ signal }) => api<{ items: PopularRoute[] }>('/api/routes/popular?limit=4', { signal, auth: false }),
    staleTime: 60_000,
  });
}
