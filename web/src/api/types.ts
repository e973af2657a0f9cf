/**
 * Response types of the API, derived from the server's own TypeBox schemas (type-only imports: nothing of
 * the server is bundled). A schema change on the server that the app does not follow fails `tsc`.
 */
import type { Static } from 'typebox';
import type { AccountResponse, SessionResponse } from '../../../src/auth/auth.schemas';
import type {
  OrderResponse,
  TicketResponse,
  OrderListResponse,
  TicketListResponse,
  Passenger as PassengerSchema,
} from '../../../src/booking/booking.schemas';
import type {
  CancellationCodeResponse,
  CancellationQuoteResponse,
  CancellationResponse,
} from '../../../src/booking/cancellation.schemas';
import type {
  EventDetailResponse,
  EventFiltersResponse,
  EventListItem as EventListItemSchema,
  EventSeatMapResponse,
  EventSeries as EventSeriesSchema,
  SeatSchema,
} from '../../../src/catalog/event-browse.schemas';
import type { HoldResponse } from '../../../src/inventory/hold.schemas';
import type { PaymentResponse } from '../../../src/payments/payment.schemas';
import type { StopSearchResponse, StopView } from '../../../src/transport/stop-search.schemas';
import type {
  PopularRoute as PopularRouteSchema,
  TripDetailResponse,
  TripSearchItem as TripSearchItemSchema,
  TripSearchResponse,
  TripSeatMapResponse,
} from '../../../src/transport/trip-search.schemas';

export type Account = Static<typeof AccountResponse>;
export type Session = Static<typeof SessionResponse>;
export type EventListItem = Static<typeof EventListItemSchema>;
export type EventSeries = Static<typeof EventSeriesSchema>;
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
export type EventDetail = Static<typeof EventDetailResponse>;
export type EventFilterOptions = Static<typeof EventFiltersResponse>;
export type PopularRoute = Static<typeof PopularRouteSchema>;
export type EventSeatMap = Static<typeof EventSeatMapResponse>;
export type Seat = Static<typeof SeatSchema>;
export type SeatStatus = Seat['status'];
export type Stop = Static<typeof StopView>;
export type StopList = Static<typeof StopSearchResponse>;
export type TripSearch = Static<typeof TripSearchResponse>;
export type TripSearchItem = Static<typeof TripSearchItemSchema>;
export type TripDetail = Static<typeof TripDetailResponse>;
export type TripSeatMap = Static<typeof TripSeatMapResponse>;
export type Hold = Static<typeof HoldResponse>;
export type Order = Static<typeof OrderResponse>;
export type OrderLine = Order['lines'][number];
export type OrderList = Static<typeof OrderListResponse>;
export type Ticket = Static<typeof TicketResponse>;
export type TicketList = Static<typeof TicketListResponse>;
export type Passenger = Static<typeof PassengerSchema>;
export type Payment = Static<typeof PaymentResponse>;
export type CancellationQuote = Static<typeof CancellationQuoteResponse>;
export type CancellationCode = Static<typeof CancellationCodeResponse>;
export type Cancellation = Static<typeof CancellationResponse>;

/** The seat-map part shared by events and trips. */
export type SeatMapLayout = EventSeatMap['layout'];
