import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAdminEvents,
  useCancelInventory,
  useOccupancy,
  useScheduleShowTimes,
  useUpdateEvent,
  useVenueLayout,
  useVenues,
  type AdminEvent,
  type Venue,
} from '../../api/console';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/states';
import { currencyDigits, todayIn, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleOrg } from './console-context';
import {
  Card,
  Field,
  NeedsOrganizer,
  PageHeader,
  StatusBadge,
  toMinorUnits,
  usePercent,
  WeekdayPicker,
  ScrollArea,
} from './console-ui';
import { categoriesOf, fromLayoutJson } from './designer/model';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Creates one show time, or a pattern of them (a week at several times), on a venue's current layout. */
function ScheduleForm({ venues, currency }: { venues: Venue[]; currency: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const schedule = useScheduleShowTimes();
  const withLayout = venues.filter((venue) => venue.layoutId);
  const [venueId, setVenueId] = useState(withLayout[0]?.id ?? '');
  const venue = withLayout.find((candidate) => candidate.id === venueId);
  const layout = useVenueLayout(venue);
  const categories = useMemo(() => (layout.data ? categoriesOf(fromLayoutJson(layout.data)) : []), [layout.data]);
  const today = todayIn(venue?.timezone ?? 'UTC');
  const [form, setForm] = useState({
    title: '',
    category: 'film',
    language: '',
    from: today,
    to: today,
    weekdays: [...WEEKDAYS] as number[],
    times: '19:00',
    durationMinutes: 150,
    status: 'on_sale' as 'on_sale' | 'draft',
  });
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<string | null>(null);
  const digits = currencyDigits(currency);

  if (withLayout.length === 0) return <p className="text-base-content/80">{t('console.events.needVenue')}</p>;
  const submit = () => {
    setInvalid(null);
    const amounts: Record<string, number> = {};
    for (const category of categories) {
      const amount = toMinorUnits(prices[category] ?? '', digits);
      if (!Number.isFinite(amount)) {
        setInvalid(t('console.events.priceMissing', { category }));
        return;
      }
      amounts[category] = amount;
    }
    const times = form.times
      .split(/[\s,]+/)
      .map((time) => time.trim())
      .filter(Boolean);
    schedule.mutate({
      venueId,
      title: form.title,
      category: form.category,
      ...(form.language ? { language: form.language } : {}),
      status: form.status,
      prices: amounts,
      from: form.from,
      to: form.to,
      weekdays: form.weekdays,
      times,
      durationMinutes: form.durationMinutes,
    });
  };
  return (
    <form
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Field label={t('console.events.venue')}>
        {(id) => (
          <select
            id={id}
            className="select select-sm w-full"
            value={venueId}
            onChange={(event) => setVenueId(event.target.value)}
          >
            {withLayout.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('console.events.titleField')} className="sm:col-span-2">
        {(id) => (
          <input
            id={id}
            className="input input-sm w-full"
            required
            maxLength={200}
            value={form.title}
            onChange={(event) => setForm({ ...form, title: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('console.events.genre')}>
        {(id) => (
          <input
            id={id}
            className="input input-sm w-full"
            required
            maxLength={50}
            value={form.category}
            onChange={(event) => setForm({ ...form, category: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('console.events.firstDay')} hint={t('console.events.localHint', { zone: venue?.timezone ?? '' })}>
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            type="date"
            className="input input-sm w-full"
            required
            value={form.from}
            onChange={(event) =>
              setForm({
                ...form,
                from: event.target.value,
                to: form.to < event.target.value ? event.target.value : form.to,
              })
            }
          />
        )}
      </Field>
      <Field label={t('console.events.lastDay')}>
        {(id) => (
          <input
            id={id}
            type="date"
            className="input input-sm w-full"
            required
            min={form.from}
            value={form.to}
            onChange={(event) => setForm({ ...form, to: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('console.events.times')} hint={t('console.events.timesHint')}>
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            className="input input-sm w-full"
            required
            pattern="\s*([01][0-9]|2[0-3]):[0-5][0-9](\s*,\s*([01][0-9]|2[0-3]):[0-5][0-9])*\s*"
            value={form.times}
            onChange={(event) => setForm({ ...form, times: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('console.events.duration')}>
        {(id) => (
          <input
            id={id}
            type="number"
            min={1}
            max={1440}
            className="input input-sm w-full"
            required
            value={form.durationMinutes}
            onChange={(event) => setForm({ ...form, durationMinutes: Number(event.target.value) })}
          />
        )}
      </Field>
      <WeekdayPicker
        className="col-span-full flex flex-wrap gap-3"
        value={form.weekdays}
        onChange={(weekdays) => setForm({ ...form, weekdays })}
      />
      <fieldset className="col-span-full">
        <legend className="text-sm font-medium">{t('console.events.prices', { currency })}</legend>
        {layout.isPending && venue?.layoutId ? <Loading /> : null}
        <div className="flex flex-wrap gap-3">
          {categories.map((category) => (
            <Field key={category} label={category}>
              {(id) => (
                <input
                  id={id}
                  className="input input-sm w-32"
                  inputMode="decimal"
                  required
                  value={prices[category] ?? ''}
                  onChange={(event) => setPrices({ ...prices, [category]: event.target.value })}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <Field label={t('console.events.statusField')}>
        {(id) => (
          <select
            id={id}
            className="select select-sm w-full"
            value={form.status}
            onChange={(event) => setForm({ ...form, status: event.target.value as typeof form.status })}
          >
            <option value="on_sale">{t('console.status.on_sale')}</option>
            <option value="draft">{t('console.status.draft')}</option>
          </select>
        )}
      </Field>
      <div className="col-span-full flex flex-wrap items-center gap-3">
        <button type="submit" className="btn btn-sm btn-primary" disabled={schedule.isPending}>
          {schedule.isPending ? t('common.saving') : t('console.events.schedule')}
        </button>
        {invalid ? (
          <p role="alert" className="text-error text-sm">
            {invalid}
          </p>
        ) : null}
        <ErrorText error={schedule.error} />
        {schedule.data ? (
          <p role="status" className="text-success text-sm font-medium">
            {t('console.events.scheduled', {
              created: format.number(schedule.data.created),
              skipped: format.number(schedule.data.skipped),
            })}
          </p>
        ) : null}
      </div>
    </form>
  );
}

function EventActions({ event }: { event: AdminEvent }) {
  const { t } = useTranslation();
  const format = useFormat();
  const update = useUpdateEvent();
  const cancel = useCancelInventory();
  const [confirming, setConfirming] = useState(false);
  if (event.status === 'cancelled') return <span className="text-base-content/70 text-sm">—</span>;
  return (
    <div className="flex flex-wrap items-center gap-1">
      {event.status !== 'on_sale' ? (
        <button
          type="button"
          className="btn btn-xs"
          disabled={update.isPending}
          onClick={() => update.mutate({ id: event.id, status: 'on_sale' })}
        >
          {t('console.events.openSales', { title: event.title })}
        </button>
      ) : (
        <button
          type="button"
          className="btn btn-xs"
          disabled={update.isPending}
          onClick={() => update.mutate({ id: event.id, status: 'sales_closed' })}
        >
          {t('console.events.closeSales', { title: event.title })}
        </button>
      )}
      {confirming ? (
        <span className="flex items-center gap-1">
          <button
            type="button"
            className="btn btn-xs btn-error"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ kind: 'event', id: event.id })}
          >
            {t('console.events.confirmCancel')}
          </button>
          <button type="button" className="btn btn-xs btn-ghost" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-xs btn-outline btn-error" onClick={() => setConfirming(true)}>
          {t('console.events.cancelEvent', { title: event.title })}
        </button>
      )}
      <ErrorText error={update.error ?? cancel.error} />
      {cancel.data ? (
        <span role="status" className="text-sm">
          {t('console.events.cancelled', {
            orders: format.number(cancel.data.ordersCancelled),
            refunded: format.money(cancel.data.refundedAmount, event.currency),
          })}
        </span>
      ) : null}
    </div>
  );
}

/** Events and show times: schedule, price, open and close sales, cancel with refunds; sold and held per show. */
export function EventsConsolePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = usePercent();
  const { organizerId, currency } = useConsoleOrg();
  const events = useAdminEvents(organizerId);
  const venues = useVenues(organizerId);
  const occupancy = useOccupancy({ organizerId, kind: 'event' });
  usePageTitle(t('console.events.title'));
  const venueById = new Map((venues.data ?? []).map((venue) => [venue.id, venue]));
  const occupancyById = new Map((occupancy.data?.items ?? []).map((item) => [item.id, item]));
  return (
    <div>
      <PageHeader title={t('console.events.title')} />
      <NeedsOrganizer>
        <Card title={t('console.events.new')}>
          {venues.isPending ? <Loading /> : <ScheduleForm venues={venues.data ?? []} currency={currency ?? 'BDT'} />}
        </Card>
      </NeedsOrganizer>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} onRetry={() => void events.refetch()} />
      ) : events.data.length === 0 ? (
        <EmptyState title={t('console.events.none')} />
      ) : (
        <ScrollArea>
          <table className="table table-sm">
            <caption className="sr-only">{t('console.events.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.events.titleField')}</th>
                <th scope="col">{t('console.events.when')}</th>
                <th scope="col">{t('console.events.statusField')}</th>
                <th scope="col">{t('console.events.prices', { currency: '' })}</th>
                <th scope="col">{t('console.dashboard.sold')}</th>
                <th scope="col">{t('console.dashboard.loadFactor')}</th>
                <th scope="col">{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((event) => {
                const zone = venueById.get(event.venueId)?.timezone ?? 'UTC';
                const load = occupancyById.get(event.id);
                return (
                  <tr key={event.id}>
                    <td>
                      <span className="font-medium">{event.title}</span>
                      <br />
                      <span className="text-base-content/70 text-xs">{venueById.get(event.venueId)?.name}</span>
                    </td>
                    <td>
                      {format.date(event.startsAt, zone, 'dateTime')}{' '}
                      <span className="text-xs">({format.zone(event.startsAt, zone)})</span>
                    </td>
                    <td>
                      <StatusBadge status={event.status} />
                    </td>
                    <td className="text-xs">
                      {Object.entries(event.prices)
                        .map(([category, amount]) => `${category} ${format.money(amount, event.currency)}`)
                        .join(' · ')}
                    </td>
                    <td>{load ? `${format.number(load.sold)} / ${format.number(load.capacity)}` : '—'}</td>
                    <td>{load ? percent(load.loadFactor) : '—'}</td>
                    <td>
                      <EventActions event={event} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </div>
  );
}
