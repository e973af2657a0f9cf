import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCreateVehicleLayout, useVehicleLayout } from '../../../api/console';
import { ErrorState, Loading } from '../../../components/states';
import { usePageTitle } from '../../../lib/page-title';
import { useConsoleHref, useConsoleOrg } from '../console-context';
import { Field, NeedsOrganizer, PageHeader } from '../console-ui';
import { Designer } from './designer';
import { emptyDraft, newKey, toVehicleLayout, type Draft } from './model';
import { SaveError } from './venue-designer';

const VEHICLE_TYPES = ['bus', 'sleeper_bus', 'train_coach', 'train'] as const;

/** Designs a bus or coach seat map from scratch, or starting from a copy of an existing layout. */
export function VehicleDesignerPage() {
  const { t } = useTranslation();
  const href = useConsoleHref();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { organizerId } = useConsoleOrg();
  const copyOf = params.get('from') ?? undefined;
  const source = useVehicleLayout(copyOf);
  const create = useCreateVehicleLayout();
  const [vehicleType, setVehicleType] = useState<(typeof VEHICLE_TYPES)[number]>('bus');
  usePageTitle(t('console.vehicles.designerTitle'));
  const initial = useMemo<Draft | null>(() => {
    if (!copyOf) return emptyDraft(t('console.vehicles.newName'));
    if (!source.data) return null;
    const sections = new Map(source.data.sections.map((section) => [section.id, section.name]));
    return {
      name: `${source.data.name} (2)`,
      areas: [],
      seats: source.data.seats.map((seat) => ({
        key: newKey(),
        section: sections.get(seat.sectionId) ?? 'Seats',
        row: seat.row,
        label: seat.label,
        category: seat.seatClass,
        x: seat.x,
        y: seat.y,
        flags: seat.flags as Draft['seats'][number]['flags'],
        deck: seat.deck,
      })),
    };
  }, [copyOf, source.data, t]);

  if (copyOf && source.isPending) return <Loading />;
  if (source.isError) return <ErrorState error={source.error} />;
  return (
    <div>
      <PageHeader title={t('console.vehicles.designerTitle')}>
        <Link className="btn btn-sm btn-ghost" to={href('/console/vehicles')}>
          {t('common.back')}
        </Link>
      </PageHeader>
      <NeedsOrganizer>
        <Field label={t('console.vehicles.vehicleType')} className="mb-3 max-w-xs">
          {(id) => (
            <select
              id={id}
              className="select select-sm"
              value={vehicleType}
              onChange={(event) => setVehicleType(event.target.value as typeof vehicleType)}
            >
              {VEHICLE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`trips.vehicle.${type}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {initial ? (
          <Designer
            kind="vehicle"
            initial={initial}
            saving={create.isPending}
            saveLabel={t('console.vehicles.save')}
            onSave={async (draft) => {
              try {
                await create.mutateAsync({
                  organizerId: organizerId!,
                  name: draft.name,
                  layout: toVehicleLayout(draft, vehicleType),
                });
                void navigate(href('/console/vehicles'));
              } catch {
                // shown below
              }
            }}
          />
        ) : null}
        {create.error ? <SaveError error={create.error} /> : null}
      </NeedsOrganizer>
    </div>
  );
}
