import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useEvent } from '../../api/catalog';
import type { EventDetail } from '../../api/types';
import { Poster } from '../../components/poster';
import { ErrorState, Loading } from '../../components/states';
import { localDate, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';

type ShowTime = EventDetail['showTimes'][number]['events'][number];

/** This event and the title's other show times, by local day and then by venue. */
function ShowTimes({ event }: { event: EventDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  const current: ShowTime = {
    eventId: event.id,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timezone: event.timezone,
    status: event.status,
    venue: { id: event.venue.id, name: event.venue.name, city: event.venue.city },
  };
  const days = new Map<string, ShowTime[]>();
  for (const day of event.showTimes) days.set(day.date, [...day.events]);
  const today = localDate(event.startsAt, event.timezone);
  days.set(today, [...(days.get(today) ?? []), current]);
  const sortedDays = [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="showtimes-heading" className="mt-8">
      <h2 id="showtimes-heading" className="mb-3 text-xl font-bold">
        {t('event.showTimes')}
      </h2>
      <div className="flex flex-col gap-4">
        {sortedDays.map(([date, shows]) => {
          const venues = new Map<string, ShowTime[]>();
          for (const show of shows.sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
            venues.set(show.venue.id, [...(venues.get(show.venue.id) ?? []), show]);
          }
          return (
            <div key={date} className="bg-base-200 rounded-box p-3">
              <h3 className="mb-2 font-semibold">{format.localDay(date)}</h3>
              <ul className="flex flex-col gap-2">
                {[...venues.values()].map((venueShows) => (
                  <li
                    key={venueShows[0]!.venue.id}
                    className="flex flex-col gap-1 sm:flex-row sm:items-center sm:gap-3"
                  >
                    <span className="min-w-48 text-sm">
                      {venueShows[0]!.venue.name}, {venueShows[0]!.venue.city}
                    </span>
                    <ul className="flex flex-wrap gap-2">
                      {venueShows.map((show) => (
                        <li key={show.eventId}>
                          {show.eventId === event.id ? (
                            <span className="btn btn-sm btn-primary" aria-current="true">
                              {format.date(show.startsAt, show.timezone, 'time')}
                            </span>
                          ) : (
                            <Link
                              className="btn btn-sm btn-outline"
                              to={`/events/${show.eventId}`}
                              aria-label={`${format.localDay(date)} ${format.date(show.startsAt, show.timezone, 'time')}, ${show.venue.name}`}
                            >
                              {format.date(show.startsAt, show.timezone, 'time')}
                            </Link>
                          )}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </section>
  );
}

export function EventPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const event = useEvent(eventId);
  usePageTitle(event.data?.title ?? t('event.pageTitle'));
  if (event.isPending) return <Loading />;
  if (event.isError) return <ErrorState error={event.error} onRetry={() => void event.refetch()} />;
  const e = event.data;
  const onSale = e.status === 'on_sale';
  const prices = [...e.prices].sort((a, b) => b.amount - a.amount);
  return (
    <article>
      <div className="grid gap-6 md:grid-cols-[2fr_3fr]">
        <Poster
          title={e.title}
          category={e.category}
          imageUrl={e.imageUrl}
          className="rounded-box aspect-[3/2] w-full"
        />
        <div className="flex flex-col gap-3">
          <h1 className="text-2xl font-bold sm:text-3xl">{e.title}</h1>
          <p className="text-base-content/80">
            {e.category} · {e.language}
          </p>
          <p>
            <time dateTime={e.startsAt} className="font-semibold">
              {format.date(e.startsAt, e.timezone, 'dateLong')}, {format.date(e.startsAt, e.timezone, 'time')}
            </time>{' '}
            <span className="text-base-content/70 text-sm">({format.zone(e.startsAt, e.timezone)})</span>
          </p>
          <p>
            {e.venue.name}
            <br />
            <span className="text-base-content/80 text-sm">
              {e.venue.address}, {e.venue.city}
            </span>
          </p>
          {e.description ? <p className="whitespace-pre-line">{e.description}</p> : null}
          {prices.length > 0 ? (
            <div>
              <h2 className="mb-1 font-semibold">{t('event.prices')}</h2>
              <ul className="flex flex-wrap gap-2">
                {prices.map((price) => (
                  <li key={price.category} className="badge badge-lg badge-outline">
                    {price.category}: {format.money(price.amount, e.currency)}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="mt-2">
            {onSale ? (
              <Link to={`/events/${e.id}/seats`} className="btn btn-primary btn-lg">
                {e.seatCount > 0 ? t('event.chooseSeats') : t('event.getTickets')}
              </Link>
            ) : (
              <p className="alert alert-warning">
                {e.status === 'sales_closed' ? t('event.salesClosed') : t('event.notOnSale')}
              </p>
            )}
          </div>
        </div>
      </div>
      <ShowTimes event={e} />
    </article>
  );
}
