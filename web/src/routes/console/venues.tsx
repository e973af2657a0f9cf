import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCreateVenue, useVenues } from '../../api/console';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleHref, useConsoleOrg } from './console-context';
import { Card, Field, NeedsOrganizer, PageHeader, ScrollArea } from './console-ui';

function NewVenueForm({ organizerId, timezone }: { organizerId: string; timezone: string }) {
  const { t } = useTranslation();
  const create = useCreateVenue();
  const [form, setForm] = useState({ name: '', city: '', address: '', timezone });
  return (
    <Card title={t('console.venues.new')}>
      <form
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { organizerId, ...form },
            { onSuccess: () => setForm({ name: '', city: '', address: '', timezone }) },
          );
        }}
      >
        {(['name', 'city', 'address', 'timezone'] as const).map((key) => (
          <Field key={key} label={t(`console.venues.${key}`)}>
            {(id) => (
              <input
                id={id}
                className="input input-sm w-full"
                required={key !== 'address'}
                maxLength={200}
                value={form[key]}
                onChange={(event) => setForm({ ...form, [key]: event.target.value })}
              />
            )}
          </Field>
        ))}
        <div className="col-span-full flex items-center gap-3">
          <button type="submit" className="btn btn-sm btn-primary" disabled={create.isPending}>
            {create.isPending ? t('common.saving') : t('console.venues.create')}
          </button>
          <ErrorText error={create.error} />
        </div>
      </form>
    </Card>
  );
}

/** The organizer's venues with their current layout, and the way into the seat-map designer. */
export function VenuesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const href = useConsoleHref();
  const { organizerId, timezone } = useConsoleOrg();
  const venues = useVenues(organizerId);
  usePageTitle(t('console.venues.title'));
  return (
    <div>
      <PageHeader title={t('console.venues.title')} />
      <NeedsOrganizer>
        <NewVenueForm organizerId={organizerId!} timezone={timezone === 'UTC' ? 'Asia/Dhaka' : timezone} />
      </NeedsOrganizer>
      {venues.isPending ? (
        <Loading />
      ) : venues.isError ? (
        <ErrorState error={venues.error} onRetry={() => void venues.refetch()} />
      ) : venues.data.length === 0 ? (
        <EmptyState title={t('console.venues.none')} />
      ) : (
        <ScrollArea>
          <table className="table">
            <caption className="sr-only">{t('console.venues.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.venues.name')}</th>
                <th scope="col">{t('console.venues.city')}</th>
                <th scope="col">{t('console.venues.timezone')}</th>
                <th scope="col">{t('console.venues.seats')}</th>
                <th scope="col">
                  <span className="sr-only">{t('console.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {venues.data.map((venue) => (
                <tr key={venue.id}>
                  <td className="font-medium">{venue.name}</td>
                  <td>{venue.city}</td>
                  <td>{venue.timezone}</td>
                  <td>
                    {venue.layoutId
                      ? t('console.venues.seatCount', {
                          seats: format.number(venue.seatCount),
                          ga: format.number(venue.gaCapacity),
                        })
                      : t('console.venues.noLayout')}
                  </td>
                  <td>
                    <Link className="btn btn-sm" to={href(`/console/venues/${venue.id}/designer`)}>
                      {venue.layoutId
                        ? t('console.venues.editLayout', { name: venue.name })
                        : t('console.venues.designLayout', { name: venue.name })}
                    </Link>
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
