import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useImportVenueLayout, useVenue, useVenueLayout } from '../../../api/console';
import { ErrorState, Loading } from '../../../components/states';
import { useFormat } from '../../../i18n/format';
import { usePageTitle } from '../../../lib/page-title';
import { useConsoleHref } from '../console-context';
import { PageHeader } from '../console-ui';
import { Designer } from './designer';
import { emptyDraft, fromLayoutJson, toLayoutJson, type Draft } from './model';

/** Designs a venue's seat map; saving imports it as the venue's new layout (events keep theirs). */
export function VenueDesignerPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const href = useConsoleHref();
  const { venueId } = useParams();
  const venue = useVenue(venueId);
  const layout = useVenueLayout(venue.data);
  const save = useImportVenueLayout(venueId ?? '');
  const [savedNote, setSavedNote] = useState<string | null>(null);
  usePageTitle(venue.data ? t('console.designer.titleFor', { name: venue.data.name }) : t('console.designer.title'));
  const initial = useMemo<Draft | null>(() => {
    if (!venue.data) return null;
    if (!venue.data.layoutId) return emptyDraft(`${venue.data.name}`);
    return layout.data ? fromLayoutJson(layout.data) : null;
  }, [venue.data, layout.data]);

  if (venue.isPending || (venue.data?.layoutId && layout.isPending)) return <Loading />;
  if (venue.isError) return <ErrorState error={venue.error} onRetry={() => void venue.refetch()} />;
  if (layout.isError) return <ErrorState error={layout.error} onRetry={() => void layout.refetch()} />;
  if (!initial) return <Loading />;
  return (
    <div>
      <PageHeader title={t('console.designer.titleFor', { name: venue.data.name })}>
        <Link className="btn btn-sm btn-ghost" to={href('/console/venues')}>
          {t('common.back')}
        </Link>
      </PageHeader>
      <p className="text-base-content/80 mb-3 text-sm">{t('console.designer.immutableNote')}</p>
      <Designer
        kind="venue"
        initial={initial}
        saving={save.isPending}
        saveLabel={t('console.designer.saveVenue')}
        savedNote={savedNote}
        onSave={async (draft) => {
          setSavedNote(null);
          try {
            const result = await save.mutateAsync(toLayoutJson(draft));
            setSavedNote(
              t('console.designer.savedVenue', {
                seats: format.number(result.seatCount),
                categories: result.categories.join(', '),
              }),
            );
          } catch {
            // shown below
          }
        }}
      />
      {save.error ? <SaveError error={save.error} /> : null}
    </div>
  );
}

/** The server's list of problems with the layout, or its friendly message. */
export function SaveError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const details = (error as { details?: { problems?: { path?: string; field: string; message: string }[] } }).details;
  return (
    <div role="alert" className="alert alert-error alert-soft mt-3 flex-col items-start">
      <p>{t('console.designer.saveFailed')}</p>
      {details?.problems ? (
        <ul className="list-disc pl-4 text-sm">
          {details.problems.slice(0, 20).map((problem, i) => (
            <li key={i}>{`${problem.path ?? ''} ${problem.field}: ${problem.message}`}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
