import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAdminRoutes,
  useAdminStops,
  useCancelInventory,
  useCreateRoute,
  useCreateStop,
  useFares,
  useGenerateTrips,
  usePutFares,
  useTrips,
  useUpdateTrip,
  useVehicleLayouts,
  type AdminRoute,
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
  WeekdayPicker,
  ScrollArea,
} from './console-ui';

function StopsCard({ organizerId, timezone }: { organizerId: string; timezone: string }) {
  const { t } = useTranslation();
  const stops = useAdminStops(organizerId);
  const create = useCreateStop();
  const [form, setForm] = useState({ code: '', name: '', city: '', timezone });
  return (
    <Card title={t('console.transport.stops')}>
      <form
        className="grid gap-2 sm:grid-cols-5"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { organizerId, ...form },
            { onSuccess: () => setForm({ code: '', name: '', city: '', timezone }) },
          );
        }}
      >
        {(['code', 'name', 'city', 'timezone'] as const).map((key) => (
          <Field key={key} label={t(`console.transport.stop.${key}`)}>
            {(id) => (
              <input
                id={id}
                className="input input-sm w-full"
                required={key !== 'city'}
                value={form[key]}
                onChange={(event) => setForm({ ...form, [key]: event.target.value })}
              />
            )}
          </Field>
        ))}
        <div className="flex items-end">
          <button type="submit" className="btn btn-sm" disabled={create.isPending}>
            {t('console.transport.addStop')}
          </button>
        </div>
        <div className="col-span-full">
          <ErrorText error={create.error} />
        </div>
      </form>
      {stops.isPending ? (
        <Loading />
      ) : stops.isError ? (
        <ErrorState error={stops.error} />
      ) : stops.data.stops.length === 0 ? (
        <p className="text-base-content/80">{t('console.transport.noStops')}</p>
      ) : (
        <ul className="flex flex-wrap gap-2 text-sm">
          {stops.data.stops.map((stop) => (
            <li key={stop.id} className="badge badge-outline">
              {stop.code} · {stop.name}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function RouteForm({ organizerId }: { organizerId: string }) {
  const { t } = useTranslation();
  const stops = useAdminStops(organizerId);
  const layouts = useVehicleLayouts(organizerId);
  const create = useCreateRoute();
  const [form, setForm] = useState({ code: '', name: '', mode: 'bus' as 'bus' | 'train', defaultLayoutId: '' });
  const [calls, setCalls] = useState<{ stopId: string; minutes: number }[]>([
    { stopId: '', minutes: 0 },
    { stopId: '', minutes: 60 },
  ]);
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({
          organizerId,
          code: form.code,
          name: form.name,
          mode: form.mode,
          ...(form.defaultLayoutId ? { defaultLayoutId: form.defaultLayoutId } : {}),
          stops: calls.map((call) => ({
            stopId: call.stopId,
            arriveOffsetMin: call.minutes,
            departOffsetMin: call.minutes,
          })),
        });
      }}
    >
      <div className="grid gap-2 sm:grid-cols-4">
        <Field label={t('console.transport.routeCode')}>
          {(id) => (
            <input
              id={id}
              className="input input-sm w-full"
              required
              value={form.code}
              onChange={(event) => setForm({ ...form, code: event.target.value })}
            />
          )}
        </Field>
        <Field label={t('console.transport.routeName')}>
          {(id) => (
            <input
              id={id}
              className="input input-sm w-full"
              required
              value={form.name}
              onChange={(event) => setForm({ ...form, name: event.target.value })}
            />
          )}
        </Field>
        <Field label={t('console.transport.mode')}>
          {(id) => (
            <select
              id={id}
              className="select select-sm w-full"
              value={form.mode}
              onChange={(event) => setForm({ ...form, mode: event.target.value as 'bus' | 'train' })}
            >
              <option value="bus">{t('trips.bus')}</option>
              <option value="train">{t('trips.train')}</option>
            </select>
          )}
        </Field>
        <Field label={t('console.transport.vehicle')}>
          {(id) => (
            <select
              id={id}
              className="select select-sm w-full"
              value={form.defaultLayoutId}
              onChange={(event) => setForm({ ...form, defaultLayoutId: event.target.value })}
            >
              <option value="">—</option>
              {(layouts.data?.layouts ?? []).map((layout) => (
                <option key={layout.id} value={layout.id}>
                  {layout.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-medium">{t('console.transport.calls')}</legend>
        {calls.map((call, index) => (
          <div key={index} className="flex flex-wrap items-end gap-2">
            <Field label={t('console.transport.callStop', { n: index + 1 })}>
              {(id) => (
                <select
                  id={id}
                  className="select select-sm"
                  required
                  value={call.stopId}
                  onChange={(event) =>
                    setCalls(calls.map((c, i) => (i === index ? { ...c, stopId: event.target.value } : c)))
                  }
                >
                  <option value="">—</option>
                  {(stops.data?.stops ?? []).map((stop) => (
                    <option key={stop.id} value={stop.id}>
                      {stop.code} · {stop.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('console.transport.minutesAfter')}>
              {(id) => (
                <input
                  id={id}
                  type="number"
                  min={0}
                  max={20000}
                  className="input input-sm w-28"
                  required
                  value={call.minutes}
                  onChange={(event) =>
                    setCalls(calls.map((c, i) => (i === index ? { ...c, minutes: Number(event.target.value) } : c)))
                  }
                />
              )}
            </Field>
            {calls.length > 2 ? (
              <button
                type="button"
                className="btn btn-sm btn-ghost"
                onClick={() => setCalls(calls.filter((_, i) => i !== index))}
              >
                {t('console.transport.removeCall', { n: index + 1 })}
              </button>
            ) : null}
          </div>
        ))}
        <div>
          <button
            type="button"
            className="btn btn-xs"
            onClick={() => setCalls([...calls, { stopId: '', minutes: (calls.at(-1)?.minutes ?? 0) + 60 }])}
          >
            {t('console.transport.addCall')}
          </button>
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <button type="submit" className="btn btn-sm btn-primary" disabled={create.isPending}>
          {t('console.transport.createRoute')}
        </button>
        <ErrorText error={create.error} />
      </div>
    </form>
  );
}

function FaresCard({ route, currency }: { route: AdminRoute; currency: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const fares = useFares(route.id);
  const put = usePutFares(route.id);
  const [form, setForm] = useState({
    from: route.stops[0]?.stopId ?? '',
    to: route.stops.at(-1)?.stopId ?? '',
    seatClass: 'ECONOMY',
    amount: '',
  });
  const [invalid, setInvalid] = useState(false);
  return (
    <div className="flex flex-col gap-2">
      <h3 className="font-semibold">{t('console.transport.fares')}</h3>
      {fares.isPending ? (
        <Loading />
      ) : fares.isError ? (
        <ErrorState error={fares.error} />
      ) : (
        <ul className="text-sm">
          {fares.data.fares.length === 0 ? <li>{t('console.transport.noFares')}</li> : null}
          {fares.data.fares.map((fare) => {
            const from = route.stops.find((stop) => stop.stopId === fare.fromStopId);
            const to = route.stops.find((stop) => stop.stopId === fare.toStopId);
            return (
              <li key={fare.id}>
                {from?.code} → {to?.code} · {fare.seatClass} · {format.money(fare.amount, fare.currency)}
              </li>
            );
          })}
        </ul>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const amount = toMinorUnits(form.amount, currencyDigits(currency));
          setInvalid(!Number.isFinite(amount));
          if (!Number.isFinite(amount)) return;
          put.mutate([{ fromStopId: form.from, toStopId: form.to, seatClass: form.seatClass, amount }]);
        }}
      >
        {(['from', 'to'] as const).map((key) => (
          <Field key={key} label={t(`console.transport.fare.${key}`)}>
            {(id) => (
              <select
                id={id}
                className="select select-sm"
                value={form[key]}
                onChange={(event) => setForm({ ...form, [key]: event.target.value })}
              >
                {route.stops.map((stop) => (
                  <option key={stop.stopId} value={stop.stopId}>
                    {stop.code} · {stop.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
        <Field label={t('console.transport.fare.seatClass')}>
          {(id) => (
            <input
              id={id}
              className="input input-sm w-32"
              required
              value={form.seatClass}
              onChange={(event) => setForm({ ...form, seatClass: event.target.value.toUpperCase() })}
            />
          )}
        </Field>
        <Field label={t('console.transport.fare.amount', { currency })}>
          {(id) => (
            <input
              id={id}
              className="input input-sm w-28"
              inputMode="decimal"
              required
              value={form.amount}
              onChange={(event) => setForm({ ...form, amount: event.target.value })}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-sm" disabled={put.isPending}>
          {t('console.transport.setFare')}
        </button>
        {invalid ? (
          <p role="alert" className="text-error text-sm">
            {t('console.orderDetail.amountInvalid')}
          </p>
        ) : null}
        <ErrorText error={put.error} />
      </form>
    </div>
  );
}

function TripsCard({ route }: { route: AdminRoute }) {
  const { t } = useTranslation();
  const format = useFormat();
  const zone = route.stops[0]?.timezone ?? 'UTC';
  const trips = useTrips(route.id);
  const generate = useGenerateTrips(route.id);
  const update = useUpdateTrip();
  const cancel = useCancelInventory();
  const today = todayIn(zone);
  const [form, setForm] = useState({ from: today, to: today, weekdays: [1, 2, 3, 4, 5, 6, 7], times: '07:00, 15:00' });
  return (
    <div className="flex flex-col gap-2">
      <h3 className="font-semibold">{t('console.transport.trips')}</h3>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          generate.mutate({
            from: form.from,
            to: form.to,
            weekdays: form.weekdays,
            departureTimes: form.times.split(/[\s,]+/).filter(Boolean),
          });
        }}
      >
        <Field label={t('console.events.firstDay')} hint={t('console.events.localHint', { zone })}>
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              type="date"
              className="input input-sm"
              required
              value={form.from}
              onChange={(event) => setForm({ ...form, from: event.target.value })}
            />
          )}
        </Field>
        <Field label={t('console.events.lastDay')}>
          {(id) => (
            <input
              id={id}
              type="date"
              className="input input-sm"
              required
              min={form.from}
              value={form.to}
              onChange={(event) => setForm({ ...form, to: event.target.value })}
            />
          )}
        </Field>
        <Field label={t('console.transport.departures')} hint={t('console.events.timesHint')}>
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              className="input input-sm w-40"
              required
              value={form.times}
              onChange={(event) => setForm({ ...form, times: event.target.value })}
            />
          )}
        </Field>
        <WeekdayPicker value={form.weekdays} onChange={(weekdays) => setForm({ ...form, weekdays })} />
        <button type="submit" className="btn btn-sm btn-primary" disabled={generate.isPending}>
          {t('console.transport.generate')}
        </button>
        <ErrorText error={generate.error ?? update.error ?? cancel.error} />
        {generate.data ? (
          <p role="status" className="text-success text-sm">
            {t('console.events.scheduled', {
              created: format.number(generate.data.created),
              skipped: format.number(generate.data.skipped),
            })}
          </p>
        ) : null}
      </form>
      {trips.isPending ? (
        <Loading />
      ) : trips.isError ? (
        <ErrorState error={trips.error} />
      ) : trips.data.trips.length === 0 ? (
        <p className="text-base-content/80 text-sm">{t('console.transport.noTrips')}</p>
      ) : (
        <ScrollArea className="max-h-72 overflow-auto">
          <table className="table table-xs">
            <thead>
              <tr>
                <th scope="col">{t('console.transport.departure')}</th>
                <th scope="col">{t('console.orders.status')}</th>
                <th scope="col">{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {trips.data.trips.map((trip) => (
                <tr key={trip.id}>
                  <td>{format.date(trip.departsAt, zone, 'dateTime')}</td>
                  <td>
                    <StatusBadge status={trip.status} />
                  </td>
                  <td className="flex flex-wrap gap-1">
                    {trip.status === 'scheduled' ? (
                      <button
                        type="button"
                        className="btn btn-xs"
                        onClick={() => update.mutate({ id: trip.id, status: 'sales_closed' })}
                      >
                        {t('console.transport.closeSales')}
                      </button>
                    ) : trip.status === 'sales_closed' ? (
                      <button
                        type="button"
                        className="btn btn-xs"
                        onClick={() => update.mutate({ id: trip.id, status: 'scheduled' })}
                      >
                        {t('console.transport.openSales')}
                      </button>
                    ) : null}
                    {trip.status !== 'cancelled' ? (
                      <button
                        type="button"
                        className="btn btn-xs btn-outline btn-error"
                        onClick={() => cancel.mutate({ kind: 'trip', id: trip.id })}
                      >
                        {t('console.transport.cancelTrip')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </div>
  );
}

/** Stops, routes with their stops and fares, and trips generated from a weekly pattern. */
export function TransportPage() {
  const { t } = useTranslation();
  const { organizerId, timezone, currency } = useConsoleOrg();
  const routes = useAdminRoutes(organizerId);
  const [routeId, setRouteId] = useState('');
  usePageTitle(t('console.transport.title'));
  const route = routes.data?.routes.find((candidate) => candidate.id === routeId) ?? routes.data?.routes[0];
  return (
    <div>
      <PageHeader title={t('console.transport.title')} />
      <NeedsOrganizer>
        <StopsCard organizerId={organizerId!} timezone={timezone === 'UTC' ? 'Asia/Dhaka' : timezone} />
        <Card title={t('console.transport.newRoute')}>
          <RouteForm organizerId={organizerId!} />
        </Card>
        <Card title={t('console.transport.routes')}>
          {routes.isPending ? (
            <Loading />
          ) : routes.isError ? (
            <ErrorState error={routes.error} />
          ) : routes.data.routes.length === 0 ? (
            <EmptyState title={t('console.transport.noRoutes')} />
          ) : (
            <>
              <Field label={t('console.transport.route')} className="max-w-md">
                {(id) => (
                  <select
                    id={id}
                    className="select select-sm"
                    value={route?.id ?? ''}
                    onChange={(event) => setRouteId(event.target.value)}
                  >
                    {routes.data.routes.map((candidate) => (
                      <option key={candidate.id} value={candidate.id}>
                        {candidate.code} · {candidate.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {route ? (
                <>
                  <p className="text-sm">{route.stops.map((stop) => stop.code).join(' → ')}</p>
                  <div className="grid gap-6 lg:grid-cols-2">
                    <FaresCard route={route} currency={currency ?? 'BDT'} />
                    <TripsCard route={route} />
                  </div>
                </>
              ) : null}
            </>
          )}
        </Card>
      </NeedsOrganizer>
    </div>
  );
}
