import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useTrip } from '../../api/catalog';
import { useTripSeatMap } from '../../api/seat-maps';
import { SeatPicker } from '../../components/seat-picker';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { localDate, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';

/** Choose seats on a trip for the segment between two of its stops. */
export function TripSeatsPage() {
  const { tripId = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const format = useFormat();
  const trip = useTrip(tripId);
  const from = params.get('from') ?? trip.data?.stops[0]?.stopId ?? '';
  const to = params.get('to') ?? trip.data?.stops.at(-1)?.stopId ?? '';
  const seatMap = useTripSeatMap(tripId, from, to);
  const target = useMemo(() => ({ kind: 'trip' as const, tripId, from, to }), [tripId, from, to]);
  const boarding = trip.data?.stops.find((stop) => stop.stopId === from);
  const alighting = trip.data?.stops.find((stop) => stop.stopId === to);
  usePageTitle(
    boarding && alighting
      ? t('seatPicker.tripPageTitle', { from: boarding.name, to: alighting.name })
      : t('seatPicker.pageTitleShort'),
  );
  if (trip.isPending || (from && seatMap.isPending)) return <Loading label={t('seatMap.loading')} />;
  if (trip.isError) return <ErrorState error={trip.error} onRetry={() => void trip.refetch()} />;
  if (seatMap.isError) return <ErrorState error={seatMap.error} onRetry={() => void seatMap.refetch()} />;
  if (!boarding || !alighting || !seatMap.data) return <EmptyState title={t('seatPicker.noSegment')} />;
  const data = trip.data;
  const backToResults = `/trips?${new URLSearchParams({ from, to, date: localDate(boarding.departsAt, boarding.timezone) })}`;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link to={backToResults} className="link text-sm">
          ← {t('seatPicker.backToTrips')}
        </Link>
        <h1 className="text-2xl font-bold">{t('seatPicker.heading')}</h1>
        <p>
          {data.route.name} · {data.layout.name}
        </p>
        <p className="font-medium">
          {boarding.name} {format.date(boarding.departsAt, boarding.timezone, 'dateTime')} → {alighting.name}{' '}
          {format.date(alighting.arrivesAt, alighting.timezone, 'dateTime')}
        </p>
      </div>
      {data.status !== 'scheduled' ? <p className="alert alert-warning">{t('trips.notOnSale')}</p> : null}
      <SeatPicker
        target={target}
        kind="vehicle"
        layout={seatMap.data.layout}
        prices={seatMap.data.prices}
        currency={seatMap.data.currency}
        streamUrl={`/api/trips/${encodeURIComponent(tripId)}/seats/stream?${new URLSearchParams({ from, to })}`}
        reload={() => void seatMap.refetch()}
        mapLabel={t('seatMap.label', { place: data.layout.name })}
        passengerNote={t('seatPicker.passengerNote')}
        summary={{
          title: data.route.name,
          startsAt: boarding.departsAt,
          timezone: boarding.timezone,
          place: `${boarding.name} → ${alighting.name}`,
          seatMapPath: `/trips/${tripId}/seats?${new URLSearchParams({ from, to })}`,
        }}
      />
    </div>
  );
}
