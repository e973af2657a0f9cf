import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey } from './client';
import type {
  Cancellation,
  CancellationCode,
  CancellationQuote,
  Order,
  OrderList,
  Passenger,
  Payment,
  TicketList,
} from './types';

export function useOrders(scope: 'upcoming' | 'past', enabled: boolean) {
  return useQuery({
    queryKey: ['bookings', scope],
    queryFn: ({ signal }) => api<OrderList>(`/api/bookings?scope=${scope}&limit=50`, { signal }),
    enabled,
  });
}

/** One order; `poll` re-reads it every 1.5 s until it is settled (after paying, until confirmed). */
export function useOrder(orderId: string, options: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: ['bookings', 'order', orderId],
    queryFn: ({ signal }) => api<Order>(`/api/bookings/${encodeURIComponent(orderId)}`, { signal }),
    refetchInterval: (query) =>
      options.poll &&
      (!query.state.data ||
        (query.state.data.status === 'pending_payment' && query.state.data.paymentStatus === 'unpaid'))
        ? 1500
        : false,
  });
}

export function useTickets(orderId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['bookings', 'tickets', orderId],
    queryFn: ({ signal }) => api<TicketList>(`/api/bookings/${encodeURIComponent(orderId)}/tickets`, { signal }),
    enabled,
  });
}

export function useCreateBooking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { holdToken: string; passengers?: Passenger[]; couponCode?: string; idempotencyKey: string }) =>
      api<Order>('/api/bookings', {
        method: 'POST',
        idempotencyKey: input.idempotencyKey,
        body: {
          holdToken: input.holdToken,
          ...(input.passengers?.length ? { passengers: input.passengers } : {}),
          ...(input.couponCode ? { couponCode: input.couponCode } : {}),
        },
      }),
    onSuccess: (order) => {
      queryClient.setQueryData(['bookings', 'order', order.id], order);
      void queryClient.invalidateQueries({ queryKey: ['bookings', 'upcoming'] });
    },
  });
}

/** Opens the payment and sends the browser to the gateway's page; it comes back to the order page. */
export function useStartPayment() {
  return useMutation({
    mutationFn: (orderId: string) =>
      api<Payment>('/api/payments', {
        method: 'POST',
        idempotencyKey: newIdempotencyKey(),
        body: { orderId, returnPath: `/orders/${orderId}/confirmation` },
      }),
    onSuccess: (payment) => {
      if (payment.checkoutUrl) window.location.assign(payment.checkoutUrl);
    },
  });
}

export function useCancellationQuote(orderId: string, lineIds: string[] | null) {
  return useQuery({
    queryKey: ['bookings', 'quote', orderId, lineIds],
    queryFn: ({ signal }) =>
      api<CancellationQuote>(
        `/api/bookings/${encodeURIComponent(orderId)}/cancellation-quote${lineIds && lineIds.length ? `?lineIds=${lineIds.join(',')}` : ''}`,
        { signal },
      ),
    enabled: lineIds !== null,
    staleTime: 0,
  });
}

export function useRequestCancellationCode(orderId: string) {
  return useMutation({
    mutationFn: (lineIds: string[]) =>
      api<CancellationCode>(`/api/bookings/${encodeURIComponent(orderId)}/cancellation-code`, {
        method: 'POST',
        body: { lineIds },
      }),
  });
}

export function useCancelOrder(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { code?: string; lineIds?: string[] }) =>
      api<Cancellation>(`/api/bookings/${encodeURIComponent(orderId)}/cancel`, {
        method: 'POST',
        idempotencyKey: newIdempotencyKey(),
        body: {
          ...(input.code ? { code: input.code } : {}),
          ...(input.lineIds?.length ? { lineIds: input.lineIds } : {}),
        },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['bookings'] }),
  });
}
