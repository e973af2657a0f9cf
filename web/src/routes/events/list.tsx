import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useEventFilterOptions, useEventSeries, type EventFilters } from '../../api/catalog';
import { SeriesCard } from '../../components/event-card';
import { Pagination } from '../../components/pagination';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { BROWSER_ZONE, currencyDigits, todayIn, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';

const PAGE_SIZE = 12;

function filtersOf(params: URLSearchParams): EventFilters {
  const number = (name: string) => {
    const value = Number(params.get(name));
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  return {
    q: params.get('q') ?? undefined,
    city: params.get('city') ?? undefined,
    date: params.get('date') ?? undefined,
    category: params.get('category') ?? undefined,
    language: params.get('language') ?? undefined,
    maxPrice: number('maxPrice'),
    page: number('page'),
  };
}

/** Events by title with filters (city, date, genre, language, price) kept in the URL, page by page. */
export function EventsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  usePageTitle(t('events.pageTitle'));
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const options = useEventFilterOptions();
  const results = useEventSeries(filters, PAGE_SIZE);

  const update = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };
  const prices = options.data?.prices;
  // Price steps a buyer understands: a few round amounts up to the dearest ticket.
  const priceSteps = prices
    ? [0.1, 0.25, 0.5, 1].map((share) => {
        const unit = 10 ** currencyDigits(prices.currency) * 100;
        return Math.max(unit, Math.ceil((prices.max * share) / unit) * unit);
      })
    : [];
  const active = Object.entries(filters).some(([key, value]) => key !== 'page' && value !== undefined);

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <div>
        <h1 className="mb-3 text-2xl font-bold">{t('events.heading')}</h1>
        <details className="bg-base-200 rounded-box p-3 lg:open:p-3" open>
          <summary className="cursor-pointer font-semibold lg:hidden">{t('events.filters')}</summary>
          <form
            className="mt-2 flex flex-col gap-3"
            onSubmit={(event) => event.preventDefault()}
            aria-label={t('events.filters')}
          >
            <label className="flex flex-col gap-1">
              <span className="text-sm font-medium">{t('search.keyword')}</span>
              <input
                type="search"
                className="input input-bordered input-sm w-full"
                defaultValue={filters.q}
                key={`q-${filters.q ?? ''}`}
                maxLength={100}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') update('q', event.currentTarget.value.trim());
                }}
                onBlur={(event) => {
                  if (event.currentTarget.value.trim() !== (filters.q ?? ''))
                    update('q', event.currentTarget.value.trim());
                }}
              />
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-sm font-medium">{t('search.city')}</span>
              <select
                className="select select-bordered select-sm w-full"
                value={filters.city ?? ''}
                onChange={(event) => update('city', event.target.value)}
              >
                <option value="">{t('events.anyCity')}</option>
                {options.data?.cities.map((city) => (
                  <option key={city} value={city}>
                    {city}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-sm font-medium">{t('search.date')}</span>
              <input
                type="date"
                className="input input-bordered input-sm w-full"
                value={filters.date ?? ''}
                min={todayIn(BROWSER_ZONE)}
                onChange={(event) => update('date', event.target.value)}
              />
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-sm font-medium">{t('events.genre')}</span>
              <select
                className="select select-bordered select-sm w-full"
                value={filters.category ?? ''}
                onChange={(event) => update('category', event.target.value)}
              >
                <option value="">{t('events.anyGenre')}</option>
                {options.data?.categories.map((category) => (
                  <option key={category} value={category}>
                    {category}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-sm font-medium">{t('events.language')}</span>
              <select
                className="select select-bordered select-sm w-full"
                value={filters.language ?? ''}
                onChange={(event) => update('language', event.target.value)}
              >
                <option value="">{t('events.anyLanguage')}</option>
                {options.data?.languages.map((language) => (
                  <option key={language} value={language}>
                    {language}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-sm font-medium">{t('events.maxPrice')}</span>
              <select
                className="select select-bordered select-sm w-full"
                value={filters.maxPrice ?? ''}
                onChange={(event) => update('maxPrice', event.target.value)}
              >
                <option value="">{t('events.anyPrice')}</option>
                {prices
                  ? [...new Set(priceSteps)].map((amount) => (
                      <option key={amount} value={amount}>
                        {t('events.upTo', { price: format.money(amount, prices.currency) })}
                      </option>
                    ))
                  : null}
              </select>
            </label>
            {active ? (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setParams(new URLSearchParams())}>
                {t('events.clearFilters')}
              </button>
            ) : null}
          </form>
        </details>
      </div>
      <section aria-labelledby="results-heading" aria-busy={results.isFetching}>
        <h2 id="results-heading" className="sr-only">
          {t('events.results')}
        </h2>
        {results.isPending ? (
          <Loading />
        ) : results.isError ? (
          <ErrorState error={results.error} onRetry={() => void results.refetch()} />
        ) : results.data.items.length === 0 ? (
          <EmptyState title={t('events.none')}>
            {active ? (
              <button type="button" className="btn btn-sm" onClick={() => setParams(new URLSearchParams())}>
                {t('events.clearFilters')}
              </button>
            ) : null}
          </EmptyState>
        ) : (
          <>
            <p className="mb-3 text-sm" aria-live="polite">
              {t('events.count', { count: results.data.total, n: format.number(results.data.total) })}
            </p>
            <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3">
              {results.data.items.map((series) => (
                <SeriesCard key={series.seriesKey} series={series} />
              ))}
            </ul>
            <Pagination
              page={results.data.page}
              pageSize={results.data.pageSize}
              total={results.data.total}
              onPage={(page) => {
                update('page', String(page));
                window.scrollTo({ top: 0 });
              }}
            />
          </>
        )}
      </section>
    </div>
  );
}
