import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCreateVehicleLayout, useVehicleLayouts } from '../../api/console';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleHref, useConsoleOrg } from './console-context';
import { Card, Field, NeedsOrganizer, PageHeader, ScrollArea } from './console-ui';

const TEMPLATES = ['bus_2_2', 'bus_2_1', 'sleeper_2_decks'] as const;

/** Vehicle seat maps: from a template in one step, or drawn in the designer. */
export function VehiclesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const href = useConsoleHref();
  const { organizerId } = useConsoleOrg();
  const layouts = useVehicleLayouts(organizerId);
  const create = useCreateVehicleLayout();
  const [form, setForm] = useState({
    name: '',
    type: 'bus_2_2' as (typeof TEMPLATES)[number],
    rows: 10,
    seatClass: 'ECONOMY',
  });
  usePageTitle(t('console.vehicles.title'));
  return (
    <div>
      <PageHeader title={t('console.vehicles.title')}>
        <Link className="btn btn-sm btn-primary" to={href('/console/vehicles/designer')}>
          {t('console.vehicles.design')}
        </Link>
      </PageHeader>
      <NeedsOrganizer>
        <Card title={t('console.vehicles.fromTemplate')}>
          <form
            className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
            onSubmit={(event) => {
              event.preventDefault();
              create.mutate({
                organizerId: organizerId!,
                name: form.name,
                template: { type: form.type, rows: form.rows, seatClass: form.seatClass },
              });
            }}
          >
            <Field label={t('console.vehicles.name')}>
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
            <Field label={t('console.vehicles.template')}>
              {(id) => (
                <select
                  id={id}
                  className="select select-sm w-full"
                  value={form.type}
                  onChange={(event) => setForm({ ...form, type: event.target.value as typeof form.type })}
                >
                  {TEMPLATES.map((template) => (
                    <option key={template} value={template}>
                      {t(`console.vehicles.templates.${template}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('console.vehicles.rows')}>
              {(id) => (
                <input
                  id={id}
                  type="number"
                  min={1}
                  max={40}
                  className="input input-sm w-full"
                  required
                  value={form.rows}
                  onChange={(event) => setForm({ ...form, rows: Number(event.target.value) })}
                />
              )}
            </Field>
            <Field label={t('console.vehicles.seatClass')}>
              {(id) => (
                <input
                  id={id}
                  className="input input-sm w-full"
                  required
                  pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
                  value={form.seatClass}
                  onChange={(event) => setForm({ ...form, seatClass: event.target.value.toUpperCase() })}
                />
              )}
            </Field>
            <div className="col-span-full flex items-center gap-3">
              <button type="submit" className="btn btn-sm" disabled={create.isPending}>
                {t('console.vehicles.create')}
              </button>
              <ErrorText error={create.error} />
            </div>
          </form>
        </Card>
        {layouts.isPending ? (
          <Loading />
        ) : layouts.isError ? (
          <ErrorState error={layouts.error} onRetry={() => void layouts.refetch()} />
        ) : layouts.data.layouts.length === 0 ? (
          <EmptyState title={t('console.vehicles.none')} />
        ) : (
          <ScrollArea>
            <table className="table">
              <caption className="sr-only">{t('console.vehicles.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('console.vehicles.name')}</th>
                  <th scope="col">{t('console.vehicles.vehicleType')}</th>
                  <th scope="col">{t('console.vehicles.seats')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('console.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {layouts.data.layouts.map((layout) => (
                  <tr key={layout.id}>
                    <td className="font-medium">{layout.name}</td>
                    <td>{layout.vehicleType ? t(`trips.vehicle.${layout.vehicleType}`) : '—'}</td>
                    <td>{layout.classes.map((c) => `${c.seatClass} ${format.number(c.seatCount)}`).join(' · ')}</td>
                    <td>
                      <Link className="btn btn-sm" to={href(`/console/vehicles/designer?from=${layout.id}`)}>
                        {t('console.vehicles.copyAndEdit', { name: layout.name })}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </NeedsOrganizer>
    </div>
  );
}
