import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useTripSearch } from '../../api/catalog';
import type { TripSearchItem } from '../../api/types';
import { TripSearchForm } from '../../components/search-forms';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDate, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';

type Sort = 'departure' | 'duration' | 'fare' | 'seats';
type DayPart = 'night' | 'morning' | 'afternoon' | 'evening';

const DAY_PARTS: DayPart[] = ['night', 'morning', 'afternoon', 'evening'];

function dayPartOf(iso: string, timeZone: string): DayPart {
  const hour = Number(formatDate(iso, timeZone, 'time', 'en-GB').split(':')[0]);
  return hour < 6 ? 'night' : hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
}

const cheapest = (trip: TripSearchItem) => trip.fares[0]?.amount ?? Number.POSITIVE_INFINITY;

const COMPARE: Record<Sort, (a: TripSearchItem, b: TripSearchItem) => number> = {
  departure: (a, b) => a.departsAt.localeCompare(b.departsAt),
  duration: (a, b) => a.durationMinutes - b.durationMinutes || a.departsAt.localeCompare(b.departsAt),
  fare: (a, b) => cheapest(a) - cheapest(b) || a.departsAt.localeCompare(b.departsAt),
  seats: (a, b) => b.seatsFree - a.seatsFree || a.departsAt.localeCompare(b.departsAt),
};

function TripCard({ trip, from, to }: { trip: TripSearchItem; from: string; to: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const vehicle = trip.vehicleType
    ? t(`trips.vehicle.${trip.vehicleType}`)
    : trip.mode === 'train'
      ? t('trips.train')
      : t('trips.bus');
  const soldOut = trip.seatsFree === 0;
  const departs = format.date(trip.departsAt, trip.fromTimezone, 'time');
  const arrives = format.date(trip.arrivesAt, trip.toTimezone, 'time');
  const nextDay =
    format.date(trip.arrivesAt, trip.toTimezone, 'dayMonth') !==
    format.date(trip.departsAt, trip.fromTimezone, 'dayMonth');
  return (
    <li className="card bg-base-100 border-base-300 border shadow-sm">
      <div className="card-body gap-3 p-4 sm:flex-row sm:items-center">
        <div className="flex flex-1 flex-col gap-1">
          <h3 className="font-semibold">{trip.routeName}</h3>
          <p className="text-base-content/80 text-sm">
            {vehicle} · {trip.fares.map((fare) => fare.seatClass).join(', ')}
          </p>
          <div className="flex items-center gap-3 text-lg">
            <time dateTime={trip.departsAt} className="font-bold">
              {departs}
            </time>
            <span aria-hidden="true" className="text-base-content/60">
              ——
            </span>
            <span className="sr-only">{t('trips.to')}</span>
            <time dateTime={trip.arrivesAt} className="font-bold">
              {arrives}
              {nextDay ? <sup className="ml-1 text-xs">{t('trips.nextDay')}</sup> : null}
            </time>
            <span className="badge badge-ghost">{format.duration(trip.durationMinutes)}</span>
          </div>
          <p className="text-base-content/80 text-xs">{format.zone(trip.departsAt, trip.fromTimezone)}</p>
        </div>
        <div className="flex flex-col items-start gap-1 sm:items-end">
          {trip.fares.length > 0 ? (
            <ul className="text-sm sm:text-right">
              {trip.fares.map((fare) => (
                <li key={fare.seatClass}>
                  <span className="text-base-content/80">{fare.seatClass}</span>{' '}
                  <span className="text-base font-bold">{format.money(fare.amount, trip.currency)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm">{t('trips.noFare')}</p>
          )}
          <p className={`text-sm font-medium ${soldOut ? 'text-error' : trip.seatsFree < 6 ? 'text-secondary' : ''}`}>
            {soldOut
              ? t('trips.soldOut')
              : t('trips.seatsLeft', { count: trip.seatsFree, n: format.number(trip.seatsFree) })}
          </p>
          {soldOut || trip.fares.length === 0 ? null : (
            <Link
              className="btn btn-primary btn-sm"
              to={`/trips/${trip.tripId}/seats?${new URLSearchParams({ from, to })}`}
              aria-label={t('trips.chooseSeatsOn', { route: trip.routeName, time: departs })}
            >
              {t('trips.chooseSeats')}
            </Link>
          )}
        </div>
      </div>
    </li>
  );
}

/** Trips between two stops on a date: times at those stops, duration, vehicle, fares, seats left. */
export function TripResultsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  const date = params.get('date');
  const search = from && to && date ? { from, to, date } : null;
  const results = useTripSearch(search);
  const [sort, setSort] = useState<Sort>('departure');
  const [dayParts, setDayParts] = useState<Set<DayPart>>(new Set());
  const [classes, setClasses] = useState<Set<string>>(new Set());
  const [onlyAvailable, setOnlyAvailable] = useState(false);
  const data = results.data;
  usePageTitle(data ? t('trips.pageTitleRoute', { from: data.from.name, to: data.to.name }) : t('trips.pageTitle'));

  const allClasses = useMemo(
    () => [...new Set((data?.items ?? []).flatMap((trip) => trip.fares.map((fare) => fare.seatClass)))].sort(),
    [data],
  );
  const shown = useMemo(() => {
    const items = (data?.items ?? []).filter((trip) => {
      if (onlyAvailable && trip.seatsFree === 0) return false;
      if (dayParts.size > 0 && !dayParts.has(dayPartOf(trip.departsAt, trip.fromTimezone))) return false;
      if (classes.size > 0 && !trip.fares.some((fare) => classes.has(fare.seatClass))) return false;
      return true;
    });
    return items.sort(COMPARE[sort]);
  }, [data, sort, dayParts, classes, onlyAvailable]);

  const toggle = <T,>(set: Set<T>, value: T, apply: (next: Set<T>) => void) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    apply(next);
  };

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">
        {data ? t('trips.headingRoute', { from: data.from.name, to: data.to.name }) : t('trips.heading')}
      </h1>
      <div className="bg-base-200 rounded-box p-3">
        <TripSearchForm
          key={`${from}-${to}-${date}-${data ? 'loaded' : 'empty'}`}
          initial={{
            from: data ? { id: data.from.id, name: data.from.name, city: data.from.city } : null,
            to: data ? { id: data.to.id, name: data.to.name, city: data.to.city } : null,
            ...(date ? { date } : {}),
          }}
        />
      </div>
      {!search ? (
        <EmptyState title={t('trips.searchFirst')} />
      ) : results.isPending ? (
        <Loading />
      ) : results.isError ? (
        <ErrorState error={results.error} onRetry={() => void results.refetch()} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-[15rem_1fr]">
          <form
            className="bg-base-200 rounded-box flex flex-col gap-3 p-3 text-sm"
            aria-label={t('trips.filters')}
            onSubmit={(event) => event.preventDefault()}
          >
            <label className="flex flex-col gap-1">
              <span className="font-medium">{t('trips.sortBy')}</span>
              <select
                className="select select-bordered select-sm"
                value={sort}
                onChange={(event) => setSort(event.target.value as Sort)}
              >
                {(['departure', 'duration', 'fare', 'seats'] as const).map((value) => (
                  <option key={value} value={value}>
                    {t(`trips.sort.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="flex flex-col gap-1">
              <legend className="mb-1 font-medium">{t('trips.departureTime')}</legend>
              {DAY_PARTS.map((part) => (
                <label key={part} className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    className="checkbox checkbox-sm"
                    checked={dayParts.has(part)}
                    onChange={() => toggle(dayParts, part, setDayParts)}
                  />
                  {t(`trips.dayPart.${part}`)}
                </label>
              ))}
            </fieldset>
            {allClasses.length > 1 ? (
              <fieldset className="flex flex-col gap-1">
                <legend className="mb-1 font-medium">{t('trips.seatClass')}</legend>
                {allClasses.map((seatClass) => (
                  <label key={seatClass} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      className="checkbox checkbox-sm"
                      checked={classes.has(seatClass)}
                      onChange={() => toggle(classes, seatClass, setClasses)}
                    />
                    {seatClass}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                className="checkbox checkbox-sm"
                checked={onlyAvailable}
                onChange={(event) => setOnlyAvailable(event.target.checked)}
              />
              {t('trips.onlyAvailable')}
            </label>
          </form>
          <section aria-labelledby="trip-results-heading">
            <h2 id="trip-results-heading" className="mb-2 text-sm" aria-live="polite">
              {t('trips.count', {
                count: shown.length,
                n: format.number(shown.length),
                date: format.localDay(data!.date),
              })}
            </h2>
            {shown.length === 0 ? (
              <EmptyState title={data!.items.length === 0 ? t('trips.none') : t('trips.noneFiltered')} />
            ) : (
              <ul className="flex flex-col gap-3">
                {shown.map((trip) => (
                  <TripCard key={trip.tripId} trip={trip} from={data!.from.id} to={data!.to.id} />
                ))}
              </ul>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
