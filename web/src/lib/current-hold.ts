import type { Hold } from '../api/types';

/**
 * The buyer's current hold and what checkout needs to show it, kept in sessionStorage: it survives a
 * reload and the trip to the login page, and is gone when the tab closes (the hold expires anyway).
 */
export interface HeldLine {
  seatId: string | null;
  areaId: string | null;
  label: string;
  category: string;
  price: number | null;
  quantity: number;
}

export interface CurrentHold {
  hold: Hold;
  kind: 'event' | 'trip';
  title: string;
  /** Start of the event, or departure from the boarding stop. */
  startsAt: string;
  timezone: string;
  /** Venue, or "Dhaka → Chattogram". */
  place: string;
  currency: string;
  lines: HeldLine[];
  /** The seat map page, to go back to. */
  seatMapPath: string;
}

const KEY = 'bo.currentHold';

export function readCurrentHold(): CurrentHold | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as CurrentHold;
    if (new Date(value.hold.expiresAt).getTime() <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return value;
  } catch {
    return null;
  }
}

export function writeCurrentHold(value: CurrentHold | null): void {
  if (value) sessionStorage.setItem(KEY, JSON.stringify(value));
  else sessionStorage.removeItem(KEY);
}
