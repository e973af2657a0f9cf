import { createContext, useContext } from 'react';
import { useSearchParams } from 'react-router';
import type { Organizer } from '../../api/console';

export interface ConsoleOrg {
  /** The organizer the console works for; undefined for an admin looking at every organizer. */
  organizerId: string | undefined;
  organizer: Organizer | undefined;
  isAdmin: boolean;
  /** The organizer's time zone for days and dates without a place of their own (UTC across all). */
  timezone: string;
  currency: string | undefined;
}

export const ConsoleOrgContext = createContext<ConsoleOrg | null>(null);

export function useConsoleOrg(): ConsoleOrg {
  const value = useContext(ConsoleOrgContext);
  if (!value) throw new Error('useConsoleOrg outside the console');
  return value;
}

/** A console link that keeps the admin's chosen organizer. */
export function useConsoleHref(): (path: string) => string {
  const [params] = useSearchParams();
  const org = params.get('org');
  return (path: string) => {
    if (!org) return path;
    return `${path}${path.includes('?') ? '&' : '?'}org=${encodeURIComponent(org)}`;
  };
}
