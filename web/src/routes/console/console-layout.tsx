import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation, useSearchParams } from 'react-router';
import { useAccount } from '../../api/auth';
import { useOrganizer, useOrganizers } from '../../api/console';
import { Loading } from '../../components/states';
import { usePageTitle } from '../../lib/page-title';
import { ConsoleOrgContext, useConsoleHref, type ConsoleOrg } from './console-context';
import { Field } from './console-ui';

const NAV = [
  ['', 'dashboard'],
  ['/events', 'events'],
  ['/venues', 'venues'],
  ['/vehicles', 'vehicles'],
  ['/transport', 'transport'],
  ['/orders', 'orders'],
  ['/checkin', 'checkin'],
  ['/reports', 'reports'],
  ['/coupons', 'coupons'],
  ['/refund-policies', 'refundPolicies'],
] as const;

function OrganizerPicker({ value }: { value: string | undefined }) {
  const { t } = useTranslation();
  const organizers = useOrganizers(true);
  const [params, setParams] = useSearchParams();
  return (
    <Field label={t('console.organizer')}>
      {(id) => (
        <select
          id={id}
          className="select select-sm w-full"
          value={value ?? ''}
          onChange={(event) => {
            const next = new URLSearchParams(params);
            if (event.target.value) next.set('org', event.target.value);
            else next.delete('org');
            setParams(next);
          }}
        >
          <option value="">{t('console.allOrganizers')}</option>
          {(organizers.data ?? []).map((organizer) => (
            <option key={organizer.id} value={organizer.id}>
              {organizer.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The console's frame: who may enter, which organizer it works for, and its own navigation. */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const { account, loading, loggedIn } = useAccount();
  const [params] = useSearchParams();
  const location = useLocation();
  const href = useConsoleHref();
  const isAdmin = account?.role === 'admin';
  const organizerId = isAdmin ? (params.get('org') ?? undefined) : (account?.organizerId ?? undefined);
  const organizer = useOrganizer(account && account.role !== 'customer' ? organizerId : undefined);
  usePageTitle(t('console.title'));

  const value = useMemo<ConsoleOrg>(
    () => ({
      organizerId,
      organizer: organizer.data,
      isAdmin,
      timezone: organizer.data?.timezone ?? 'UTC',
      currency: organizer.data?.currency,
    }),
    [organizerId, organizer.data, isAdmin],
  );

  if (!loggedIn) {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <div className="mx-auto max-w-md py-12 text-center">
        <h1 className="mb-2 text-2xl font-bold">{t('console.title')}</h1>
        <p className="mb-4">{t('console.loginNeeded')}</p>
        <Link className="btn btn-primary" to={`/login?next=${next}`}>
          {t('nav.login')}
        </Link>
      </div>
    );
  }
  if (loading || !account) return <Loading />;
  if (account.role === 'customer') {
    return (
      <div role="alert" className="alert alert-warning mx-auto my-12 max-w-xl">
        {t('console.notStaff')}
      </div>
    );
  }
  if (organizerId && organizer.isPending) return <Loading />;

  return (
    <ConsoleOrgContext.Provider value={value}>
      <div className="flex flex-col gap-4 lg:flex-row">
        <aside className="lg:w-56 lg:shrink-0">
          <p className="text-base-content/70 mb-2 text-sm">
            {t('console.title')}
            {organizer.data ? ` · ${organizer.data.name}` : ''}
          </p>
          {isAdmin ? (
            <div className="mb-3">
              <OrganizerPicker value={organizerId} />
            </div>
          ) : null}
          <nav aria-label={t('console.navLabel')}>
            <ul className="menu menu-horizontal lg:menu-vertical bg-base-200 rounded-box w-full flex-nowrap overflow-x-auto lg:flex-wrap">
              {NAV.map(([path, key]) => (
                <li key={key}>
                  <NavLink
                    end={path === ''}
                    to={href(`/console${path}`)}
                    className={({ isActive }) => (isActive ? 'menu-active' : '')}
                  >
                    {t(`console.nav.${key}`)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </aside>
        <div className="min-w-0 flex-1">
          <Outlet />
        </div>
      </div>
    </ConsoleOrgContext.Provider>
  );
}
