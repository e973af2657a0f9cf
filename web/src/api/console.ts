import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type { CheckinResponse } from '../../../src/booking/booking.schemas';
import type {
  AdminOrderResponse,
  OrderSearchResponse,
  OrganizerRefundResponse,
} from '../../../src/booking/order-admin.schemas';
import type { RefundPolicyResponse } from '../../../src/booking/refund-policy.schemas';
import type { EventResponse } from '../../../src/catalog/event-admin.schemas';
import type { OrganizerResponse } from '../../../src/catalog/organizer.schemas';
import type { LayoutImportResponse, VenueResponse } from '../../../src/catalog/venue.schemas';
import type { CouponResponse } from '../../../src/coupons/coupon.schemas';
import type {
  DashboardResponse,
  OccupancyResponse,
  SalesReportResponse,
} from '../../../src/reporting/reporting.schemas';
import type {
  FareListResponse,
  GenerateTripsResponse,
  RouteListResponse,
  RouteResponse,
  StopListResponse,
  StopResponse,
  TripListResponse,
  VehicleLayoutDetailResponse,
  VehicleLayoutListResponse,
  VehicleLayoutResponse,
} from '../../../src/transport/transport-admin.schemas';
import { api, apiDownload, newIdempotencyKey } from './client';

/**
 * The organizer console's calls to the admin API. Staff act for their own organizer; an admin picks one
 * (the console keeps it in the URL as ?org=…) and every list and report is filtered by it.
 */
export type Organizer = Static<typeof OrganizerResponse>;
export type Venue = Static<typeof VenueResponse>;
export type LayoutImport = Static<typeof LayoutImportResponse>;
export type AdminEvent = Static<typeof EventResponse>;
export type Dashboard = Static<typeof DashboardResponse>;
export type SalesReport = Static<typeof SalesReportResponse>;
export type Occupancy = Static<typeof OccupancyResponse>;
export type OccupancyItem = Occupancy['items'][number];
export type OrderSearch = Static<typeof OrderSearchResponse>;
export type AdminOrder = Static<typeof AdminOrderResponse>;
export type OrganizerRefund = Static<typeof OrganizerRefundResponse>;
export type Coupon = Static<typeof CouponResponse>;
export type RefundPolicy = Static<typeof RefundPolicyResponse>;
export type AdminStop = Static<typeof StopResponse>;
export type AdminRoute = Static<typeof RouteResponse>;
export type AdminTrip = Static<typeof TripListResponse>['trips'][number];
export type Fare = Static<typeof FareListResponse>['fares'][number];
export type VehicleLayout = Static<typeof VehicleLayoutResponse>;
export type VehicleLayoutDetail = Static<typeof VehicleLayoutDetailResponse>;
export type Checkin = Static<typeof CheckinResponse>;
export type GeneratedTrips = Static<typeof GenerateTripsResponse>;

export interface ScheduledShowTimes {
  created: number;
  skipped: number;
  showTimes: { eventId: string; startsAt: string; created: boolean }[];
}

function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Re-reads every console query of one kind after a change (lists, the dashboard). */
function useInvalidate() {
  const client = useQueryClient();
  return (...keys: QueryKey[]) => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useOrganizers(enabled: boolean) {
  return useQuery({
    queryKey: ['console', 'organizers'],
    queryFn: () => api<Organizer[]>('/api/admin/organizers?limit=1000'),
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useOrganizer(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'organizer', organizerId],
    queryFn: () => api<Organizer>(`/api/admin/organizers/${organizerId}`),
    enabled: Boolean(organizerId),
    staleTime: 5 * 60_000,
  });
}

// ── Reports ──────────────────────────────────────────────────────────────────────────────────────────

export function useDashboard(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'dashboard', organizerId],
    queryFn: () => api<Dashboard>(`/api/admin/reports/dashboard${query({ organizerId })}`),
    // Holds come and go by the minute: keep the numbers fresh while the page is open.
    refetchInterval: 30_000,
    staleTime: 10_000,
  });
}

export interface SalesQuery {
  organizerId?: string | undefined;
  from: string;
  to: string;
  groupBy: 'day' | 'event' | 'trip';
}

export function useSalesReport(params: SalesQuery, enabled = true) {
  return useQuery({
    queryKey: ['console', 'sales', params],
    queryFn: () => api<SalesReport>(`/api/admin/reports/sales${query({ ...params })}`),
    enabled,
  });
}

/** Saves the sales report as a CSV file through the browser. */
export async function downloadSalesCsv(params: SalesQuery): Promise<void> {
  const { blob, filename } = await apiDownload(`/api/admin/reports/sales${query({ ...params, format: 'csv' })}`);
  saveBlob(blob, filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function useOccupancy(params: {
  organizerId?: string | undefined;
  kind: 'event' | 'trip';
  from?: string | undefined;
  to?: string | undefined;
  offset?: number;
}) {
  return useQuery({
    queryKey: ['console', 'occupancy', params],
    queryFn: () => api<Occupancy>(`/api/admin/reports/occupancy${query({ ...params, limit: 50 })}`),
  });
}

// ── Venues and layouts ───────────────────────────────────────────────────────────────────────────────

export function useVenues(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'venues', organizerId],
    queryFn: () => api<Venue[]>(`/api/admin/venues${query({ organizerId, limit: 1000 })}`),
  });
}

export function useVenue(venueId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'venue', venueId],
    queryFn: () => api<Venue>(`/api/admin/venues/${venueId}`),
    enabled: Boolean(venueId),
  });
}

export function useCreateVenue() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { organizerId: string; name: string; city: string; address?: string; timezone: string }) =>
      api<Venue>('/api/admin/venues', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'venues']),
  });
}

/** The venue's current layout in the import format (null when it has none yet). */
export function useVenueLayout(venue: Venue | undefined) {
  return useQuery({
    queryKey: ['console', 'venue-layout', venue?.id, venue?.layoutId],
    queryFn: () => api<unknown>(`/api/admin/venues/${venue!.id}/layout`),
    enabled: Boolean(venue?.layoutId),
    staleTime: Infinity,
  });
}

export function useImportVenueLayout(venueId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (layout: unknown) =>
      api<LayoutImport>(`/api/admin/venues/${venueId}/layout`, { method: 'PUT', body: layout }),
    onSuccess: () => invalidate(['console', 'venues'], ['console', 'venue', venueId]),
  });
}

export function useVehicleLayouts(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'vehicle-layouts', organizerId],
    queryFn: () => api<Static<typeof VehicleLayoutListResponse>>(`/api/admin/vehicle-layouts${query({ organizerId })}`),
    enabled: Boolean(organizerId),
  });
}

export function useVehicleLayout(id: string | undefined) {
  return useQuery({
    queryKey: ['console', 'vehicle-layout', id],
    queryFn: () => api<VehicleLayoutDetail>(`/api/admin/vehicle-layouts/${id}`),
    enabled: Boolean(id),
    staleTime: Infinity,
  });
}

export function useCreateVehicleLayout() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { organizerId: string; name: string; template?: unknown; layout?: unknown }) =>
      api<VehicleLayout>('/api/admin/vehicle-layouts', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'vehicle-layouts']),
  });
}

// ── Events ───────────────────────────────────────────────────────────────────────────────────────────

export function useAdminEvents(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'events', organizerId],
    queryFn: () => api<AdminEvent[]>(`/api/admin/events${query({ organizerId, limit: 500 })}`),
  });
}

export interface EventInput {
  venueId: string;
  title: string;
  description?: string;
  category?: string;
  language?: string;
  startsAt: string;
  endsAt: string;
  status?: 'draft' | 'on_sale';
  saleStartsAt?: string;
  prices: Record<string, number>;
}

export function useCreateEvent() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: EventInput) => api<AdminEvent>('/api/admin/events', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'events'], ['console', 'dashboard']),
  });
}

export function useScheduleShowTimes() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (
      body: Omit<EventInput, 'startsAt' | 'endsAt'> & {
        from: string;
        to: string;
        weekdays: number[];
        times: string[];
        durationMinutes: number;
      },
    ) => api<ScheduledShowTimes>('/api/admin/events/schedule', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'events'], ['console', 'dashboard']),
  });
}

export function useUpdateEvent() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; status?: AdminEvent['status']; prices?: Record<string, number> }) =>
      api<AdminEvent>(`/api/admin/events/${id}`, { method: 'PATCH', body }),
    onSuccess: () => invalidate(['console', 'events'], ['console', 'occupancy']),
  });
}

export interface InventoryCancellation {
  ordersCancelled: number;
  ordersRefunded: number;
  refundedAmount: number;
  failures: { orderId: string; code: string; message: string }[];
}

export function useCancelInventory() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ kind, id }: { kind: 'event' | 'trip'; id: string }) =>
      api<InventoryCancellation>(`/api/admin/${kind === 'event' ? 'events' : 'trips'}/${id}/cancel`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: () => invalidate(['console']),
  });
}

// ── Transport ────────────────────────────────────────────────────────────────────────────────────────

export function useAdminStops(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'stops', organizerId],
    queryFn: () => api<Static<typeof StopListResponse>>(`/api/admin/stops${query({ organizerId })}`),
    enabled: Boolean(organizerId),
  });
}

export function useCreateStop() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { organizerId: string; code: string; name: string; city?: string; timezone: string }) =>
      api<AdminStop>('/api/admin/stops', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'stops']),
  });
}

export function useAdminRoutes(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'routes', organizerId],
    queryFn: () => api<Static<typeof RouteListResponse>>(`/api/admin/routes${query({ organizerId })}`),
    enabled: Boolean(organizerId),
  });
}

export function useCreateRoute() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: {
      organizerId: string;
      code: string;
      name: string;
      mode: 'bus' | 'train';
      defaultLayoutId?: string;
      stops: { stopId: string; arriveOffsetMin: number; departOffsetMin: number }[];
    }) => api<AdminRoute>('/api/admin/routes', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'routes']),
  });
}

export function useFares(routeId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'fares', routeId],
    queryFn: () => api<Static<typeof FareListResponse>>(`/api/admin/routes/${routeId}/fares`),
    enabled: Boolean(routeId),
  });
}

export function usePutFares(routeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (fares: { fromStopId: string; toStopId: string; seatClass: string; amount: number }[]) =>
      api<Static<typeof FareListResponse>>(`/api/admin/routes/${routeId}/fares`, { method: 'PUT', body: { fares } }),
    onSuccess: () => invalidate(['console', 'fares', routeId]),
  });
}

export function useTrips(routeId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'trips', routeId],
    queryFn: () => api<Static<typeof TripListResponse>>(`/api/admin/trips${query({ routeId, limit: 200 })}`),
    enabled: Boolean(routeId),
  });
}

export function useGenerateTrips(routeId: string) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { from: string; to: string; weekdays: number[]; departureTimes: string[] }) =>
      api<GeneratedTrips>(`/api/admin/routes/${routeId}/trips/generate`, { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'trips', routeId], ['console', 'dashboard']),
  });
}

export function useUpdateTrip() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'scheduled' | 'sales_closed' }) =>
      api<unknown>(`/api/admin/trips/${id}`, { method: 'PATCH', body: { status } }),
    onSuccess: () => invalidate(['console', 'trips']),
  });
}

// ── Coupons and refund policies ──────────────────────────────────────────────────────────────────────

export function useCoupons(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'coupons', organizerId],
    queryFn: () => api<Coupon[]>(`/api/admin/coupons${query({ organizerId })}`),
  });
}

export function useSaveCoupon() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id?: string } & Record<string, unknown>) =>
      id
        ? api<Coupon>(`/api/admin/coupons/${id}`, { method: 'PATCH', body })
        : api<Coupon>('/api/admin/coupons', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'coupons']),
  });
}

export function useRefundPolicies(organizerId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'refund-policies', organizerId],
    queryFn: () => api<RefundPolicy[]>(`/api/admin/refund-policies${query({ organizerId })}`),
  });
}

export function useSaveRefundPolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id?: string } & Record<string, unknown>) =>
      id
        ? api<RefundPolicy>(`/api/admin/refund-policies/${id}`, { method: 'PATCH', body })
        : api<RefundPolicy>('/api/admin/refund-policies', { method: 'POST', body }),
    onSuccess: () => invalidate(['console', 'refund-policies']),
  });
}

export function useDeleteRefundPolicy() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/admin/refund-policies/${id}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(['console', 'refund-policies']),
  });
}

// ── Orders and check-in ──────────────────────────────────────────────────────────────────────────────

export function useOrderSearch(params: { organizerId?: string | undefined; q?: string; offset?: number }) {
  return useQuery({
    queryKey: ['console', 'orders', params],
    queryFn: () => api<OrderSearch>(`/api/admin/orders${query({ ...params, limit: 25 })}`),
  });
}

export function useAdminOrder(orderId: string | undefined) {
  return useQuery({
    queryKey: ['console', 'order', orderId],
    queryFn: () => api<AdminOrder>(`/api/admin/orders/${orderId}`),
    enabled: Boolean(orderId),
  });
}

/** One refund dialog is one action: its Idempotency-Key stays the same across retries of that dialog. */
export function useOrganizerRefund(orderId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { body: { lineIds?: string[]; amount?: number; reason: string }; key: string }) =>
      api<OrganizerRefund>(`/api/admin/orders/${orderId}/refund`, {
        method: 'POST',
        body: input.body,
        idempotencyKey: input.key,
      }),
    onSuccess: (result) => {
      client.setQueryData(['console', 'order', orderId], result.order);
      void client.invalidateQueries({ queryKey: ['console', 'orders'] });
      void client.invalidateQueries({ queryKey: ['console', 'dashboard'] });
    },
  });
}

export { newIdempotencyKey };

export function useCheckin() {
  return useMutation({
    mutationFn: (body: { code: string; eventId?: string; tripId?: string }) =>
      api<Checkin>('/api/checkins', { method: 'POST', body }),
  });
}
