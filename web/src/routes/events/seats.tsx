import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useEvent } from '../../api/catalog';
import { useEventSeatMap } from '../../api/seat-maps';
import { SeatPicker } from '../../components/seat-picker';
import { ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';

/** Choose seats (and standing places) for one event. */
export function EventSeatsPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const event = useEvent(eventId);
  const seatMap = useEventSeatMap(eventId);
  usePageTitle(event.data ? t('seatPicker.pageTitle', { title: event.data.title }) : t('seatPicker.pageTitleShort'));
  const target = useMemo(() => ({ kind: 'event' as const, eventId }), [eventId]);
  if (event.isPending || seatMap.isPending) return <Loading label={t('seatMap.loading')} />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} />;
  if (seatMap.isError) return <ErrorState error={seatMap.error} onRetry={() => void seatMap.refetch()} />;
  const e = event.data;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link to={`/events/${e.id}`} className="link text-sm">
          ← {e.title}
        </Link>
        <h1 className="text-2xl font-bold">{t('seatPicker.heading')}</h1>
        <p>
          {e.title} · {format.date(e.startsAt, e.timezone, 'dateTime')} · {e.venue.name}
        </p>
      </div>
      {e.status !== 'on_sale' ? <p className="alert alert-warning">{t('event.notOnSale')}</p> : null}
      <SeatPicker
        target={target}
        kind="venue"
        layout={seatMap.data.layout}
        prices={seatMap.data.prices}
        currency={seatMap.data.currency}
        streamUrl={`/api/events/${encodeURIComponent(e.id)}/seats/stream`}
        reload={() => void seatMap.refetch()}
        mapLabel={t('seatMap.label', { place: e.venue.name })}
        summary={{
          title: e.title,
          startsAt: e.startsAt,
          timezone: e.timezone,
          place: `${e.venue.name}, ${e.venue.city}`,
          seatMapPath: `/events/${e.id}/seats`,
        }}
      />
    </div>
  );
}
