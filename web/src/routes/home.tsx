import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useEventFilterOptions, useEventSeries, usePopularRoutes } from '../api/catalog';
import type { PopularRoute } from '../api/types';
import { SeriesCard } from '../components/event-card';
import { EventSearchForm, TripSearchForm } from '../components/search-forms';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { localDate, useFormat } from '../i18n/format';
import { usePageTitle } from '../lib/page-title';

function RouteCard({ route }: { route: PopularRoute }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li className="card bg-base-100 border-base-300 border shadow-sm">
      <div className="card-body gap-2 p-4">
        <h3 className="card-title text-base">
          {route.from.city} → {route.to.city}
        </h3>
        <p className="text-base-content/70 text-sm">
          {route.organizerName} · {route.mode === 'train' ? t('trips.train') : t('trips.bus')}
          {route.lowestFare !== null
            ? ` · ${t('events.from', { price: format.money(route.lowestFare, route.currency) })}`
            : ''}
        </p>
        {route.departures.length === 0 ? (
          <p className="text-sm">{t('home.noDepartures')}</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {route.departures.map((departure) => (
              <li key={departure.tripId}>
                <Link
                  className="link link-hover flex justify-between gap-2 text-sm"
                  to={`/trips?${new URLSearchParams({ from: route.from.id, to: route.to.id, date: localDate(departure.departsAt, departure.timezone) })}`}
                >
                  <span>{format.date(departure.departsAt, departure.timezone, 'dateTime')}</span>
                  <span>
                    {t('trips.seatsLeft', { count: departure.seatsFree, n: format.number(departure.seatsFree) })}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  usePageTitle(t('home.pageTitle'));
  const [tab, setTab] = useState<'events' | 'trips'>('events');
  const featured = useEventSeries({}, 8);
  const routes = usePopularRoutes();
  const filters = useEventFilterOptions();
  return (
    <div className="flex flex-col gap-8">
      <section className="bg-base-200 rounded-box p-4 sm:p-6" aria-labelledby="home-heading">
        <h1 id="home-heading" className="mb-1 text-2xl font-bold sm:text-3xl">
          {t('home.heading')}
        </h1>
        <p className="text-base-content/80 mb-4">{t('home.subheading')}</p>
        <div role="tablist" aria-label={t('home.searchKind')} className="tabs tabs-box mb-4 w-fit">
          <button
            type="button"
            role="tab"
            id="tab-events"
            aria-controls="panel-events"
            aria-selected={tab === 'events'}
            className={`tab text-base-content ${tab === 'events' ? 'tab-active' : ''}`}
            onClick={() => setTab('events')}
          >
            {t('home.tabEvents')}
          </button>
          <button
            type="button"
            role="tab"
            id="tab-trips"
            aria-controls="panel-trips"
            aria-selected={tab === 'trips'}
            className={`tab text-base-content ${tab === 'trips' ? 'tab-active' : ''}`}
            onClick={() => setTab('trips')}
          >
            {t('home.tabTrips')}
          </button>
        </div>
        <div role="tabpanel" id="panel-events" aria-labelledby="tab-events" hidden={tab !== 'events'}>
          <EventSearchForm cities={filters.data?.cities} />
        </div>
        <div role="tabpanel" id="panel-trips" aria-labelledby="tab-trips" hidden={tab !== 'trips'}>
          <TripSearchForm />
        </div>
      </section>

      <section aria-labelledby="featured-heading">
        <div className="mb-3 flex items-baseline justify-between gap-2">
          <h2 id="featured-heading" className="text-xl font-bold">
            {t('home.featured')}
          </h2>
          <Link to="/events" className="link">
            {t('home.allEvents')}
          </Link>
        </div>
        {featured.isPending ? (
          <Loading />
        ) : featured.isError ? (
          <ErrorState error={featured.error} onRetry={() => void featured.refetch()} />
        ) : featured.data.items.length === 0 ? (
          <EmptyState title={t('home.noEvents')} />
        ) : (
          <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {featured.data.items.map((series) => (
              <SeriesCard key={series.seriesKey} series={series} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="routes-heading">
        <h2 id="routes-heading" className="mb-3 text-xl font-bold">
          {t('home.popularRoutes')}
        </h2>
        {routes.isPending ? (
          <Loading />
        ) : routes.isError ? (
          <ErrorState error={routes.error} onRetry={() => void routes.refetch()} />
        ) : routes.data.items.length === 0 ? (
          <EmptyState title={t('home.noRoutes')} />
        ) : (
          <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {routes.data.items.map((route) => (
              <RouteCard key={route.routeId} route={route} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
