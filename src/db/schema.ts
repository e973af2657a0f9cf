import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types. Row types used by repositories are derived from these. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface OrganizersTable {
  id: string;
  name: string;
  slug: string;
  currency: string;
  timezone: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SeatLayoutsTable {
  id: string;
  organizer_id: string;
  name: string;
  kind: 'venue' | 'vehicle';
  vehicle_type: 'bus' | 'sleeper_bus' | 'train_coach' | 'train' | null;
  decks: Generated<number>;
  seat_count: Generated<number>;
  ga_capacity: Generated<number>;
  created_at: CreatedAt;
}

export interface LayoutSectionsTable {
  id: string;
  layout_id: string;
  parent_id: string | null;
  name: string;
  path: string;
  ordinal: number;
}

export interface LayoutSeatsTable {
  id: string;
  layout_id: string;
  section_id: string;
  row_label: string;
  seat_label: string;
  label: string;
  category: string;
  x: number;
  y: number;
  deck: Generated<number>;
  flags: Generated<string[]>;
  ordinal: number;
}

export interface LayoutGaAreasTable {
  id: string;
  layout_id: string;
  name: string;
  category: string;
  capacity: number;
  x: Generated<number>;
  y: Generated<number>;
}

export interface VenuesTable {
  id: string;
  organizer_id: string;
  name: string;
  city: string;
  address: Generated<string>;
  timezone: string;
  layout_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type EventStatus = 'draft' | 'on_sale' | 'sales_closed' | 'cancelled';

export interface EventsTable {
  id: string;
  organizer_id: string;
  venue_id: string;
  layout_id: string;
  series_key: string;
  title: string;
  description: Generated<string>;
  category: Generated<string>;
  language: Generated<string>;
  image_url: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: ColumnType<EventStatus, EventStatus | undefined, EventStatus>;
  sale_starts_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sale_ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hold_ttl_seconds: number | null;
  search: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EventPricesTable {
  event_id: string;
  category: string;
  amount: number;
}

export interface StopsTable {
  id: string;
  organizer_id: string;
  code: string;
  name: string;
  city: Generated<string>;
  lat: number | null;
  lon: number | null;
  timezone: string;
  created_at: CreatedAt;
}

export interface RoutesTable {
  id: string;
  organizer_id: string;
  code: string;
  name: string;
  mode: 'bus' | 'train';
  default_layout_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RouteStopsTable {
  route_id: string;
  stop_index: number;
  stop_id: string;
  arrive_offset_min: number;
  depart_offset_min: number;
}

export type TripStatus = 'scheduled' | 'sales_closed' | 'cancelled';

export interface TripsTable {
  id: string;
  organizer_id: string;
  route_id: string;
  layout_id: string;
  /** A date string YYYY-MM-DD (the date type is not parsed to a JS Date; see db/client.ts). */
  service_date: string;
  departs_at: Timestamp;
  status: ColumnType<TripStatus, TripStatus | undefined, TripStatus>;
  hold_ttl_seconds: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TripStopsTable {
  trip_id: string;
  stop_index: number;
  stop_id: string;
  arrives_at: Timestamp;
  departs_at: Timestamp;
}

export interface FaresTable {
  id: string;
  route_id: string;
  from_index: number;
  to_index: number;
  seat_class: string;
  amount: number;
}

export type InventoryKind = 'event' | 'trip';

export interface SeatSalesTable {
  id: Generated<number>;
  inventory_kind: InventoryKind;
  inventory_id: string;
  seat_id: string;
  /** An int4range literal, e.g. '[0,3)'. */
  legs: string;
  hold_token: string | null;
  order_id: string | null;
  status: ColumnType<'confirmed' | 'cancelled', 'confirmed' | 'cancelled' | undefined, 'confirmed' | 'cancelled'>;
  created_at: CreatedAt;
}

export interface GaInventoryTable {
  inventory_id: string;
  area_id: string;
  capacity: number;
  sold: Generated<number>;
}

export interface HoldsTable {
  token: string;
  inventory_kind: InventoryKind;
  inventory_id: string;
  owner: string;
  from_index: number;
  to_index: number;
  seat_ids: string[];
  ga: ColumnType<{ areaId: string; quantity: number }[], string, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  extended: Generated<boolean>;
  released: Generated<boolean>;
}

export interface HoldSeatsTable {
  hold_token: string;
  inventory_id: string;
  seat_id: string;
  legs: string;
  expires_at: Timestamp;
}

export interface HoldGaTable {
  hold_token: string;
  inventory_id: string;
  area_id: string;
  quantity: number;
  expires_at: Timestamp;
}

export interface Database {
  settings: SettingsTable;
  organizers: OrganizersTable;
  seat_layouts: SeatLayoutsTable;
  layout_sections: LayoutSectionsTable;
  layout_seats: LayoutSeatsTable;
  layout_ga_areas: LayoutGaAreasTable;
  venues: VenuesTable;
  events: EventsTable;
  event_prices: EventPricesTable;
  stops: StopsTable;
  routes: RoutesTable;
  route_stops: RouteStopsTable;
  trips: TripsTable;
  trip_stops: TripStopsTable;
  fares: FaresTable;
  seat_sales: SeatSalesTable;
  ga_inventory: GaInventoryTable;
  holds: HoldsTable;
  hold_seats: HoldSeatsTable;
  hold_ga: HoldGaTable;
}

export type OrganizerRow = Selectable<OrganizersTable>;
export type NewOrganizer = Insertable<OrganizersTable>;
export type OrganizerUpdate = Updateable<OrganizersTable>;
export type VenueRow = Selectable<VenuesTable>;
export type EventRow = Selectable<EventsTable>;
export type StopRow = Selectable<StopsTable>;
export type RouteRow = Selectable<RoutesTable>;
export type TripRow = Selectable<TripsTable>;
export type TripStopRow = Selectable<TripStopsTable>;
export type LayoutRow = Selectable<SeatLayoutsTable>;
export type LayoutSeatRow = Selectable<LayoutSeatsTable>;
export type LayoutSectionRow = Selectable<LayoutSectionsTable>;
export type LayoutGaAreaRow = Selectable<LayoutGaAreasTable>;
export type FareRow = Selectable<FaresTable>;
