import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { EventSeries } from '../api/types';
import { useFormat } from '../i18n/format';
import { Poster } from './poster';

/** One title with its next show time, venue and the number of show times. */
export function SeriesCard({ series }: { series: EventSeries }) {
  const { t } = useTranslation();
  const format = useFormat();
  const first = series.showTimes[0];
  if (!first) return null;
  return (
    <li className="card bg-base-100 border-base-300 overflow-hidden border shadow-sm">
      <Poster
        title={series.title}
        category={series.category}
        imageUrl={series.imageUrl}
        className="aspect-[3/2] w-full"
      />
      <div className="card-body gap-1 p-4">
        <h3 className="card-title text-base">
          <Link to={`/events/${first.eventId}`} className="link link-hover after:absolute after:inset-0">
            {series.title}
          </Link>
        </h3>
        <p className="text-base-content/70 text-sm">
          {series.category} · {series.language}
        </p>
        <p className="text-sm">
          <time dateTime={first.startsAt}>{format.date(first.startsAt, first.timezone, 'dateTime')}</time>
        </p>
        <p className="text-sm">{first.venue.name}</p>
        <div className="mt-1 flex flex-wrap items-center justify-between gap-2 text-sm">
          {series.showTimeCount > 1 ? (
            <span className="badge badge-ghost">
              {t('events.showTimes', { count: series.showTimeCount, n: format.number(series.showTimeCount) })}
            </span>
          ) : (
            <span />
          )}
          {series.priceRange ? (
            <span className="font-semibold">
              {t('events.from', { price: format.money(series.priceRange.min, series.priceRange.currency) })}
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
}
