import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useDashboard, type Dashboard, type OccupancyItem } from '../../api/console';
import { ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleOrg } from './console-context';
import { Card, PageHeader, StatusBadge, usePercent, ScrollArea } from './console-ui';

type Period = Omit<Dashboard['today'], 'date'>;

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="stat bg-base-100 border-base-300 rounded-box border">
      <div className="stat-title text-base-content/80">{label}</div>
      <div className="stat-value text-2xl">{value}</div>
      {detail ? <div className="stat-desc text-base-content/80 whitespace-normal">{detail}</div> : null}
    </div>
  );
}

function PeriodStats({ title, period }: { title: string; period: Period }) {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = usePercent();
  const revenue = period.revenue.length
    ? period.revenue.map((money) => format.money(money.net, money.currency)).join(' · ')
    : '—';
  const gross = period.revenue.map((money) => format.money(money.gross, money.currency)).join(' · ');
  return (
    <section aria-label={title} className="mb-4">
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      <div className="grid grid-cols-2 gap-2 md:grid-cols-3 xl:grid-cols-5">
        <Stat
          label={t('console.dashboard.sales')}
          value={format.number(period.tickets)}
          detail={t('console.dashboard.ordersCount', { n: format.number(period.orders), count: period.orders })}
        />
        <Stat
          label={t('console.dashboard.revenue')}
          value={revenue}
          detail={gross ? t('console.dashboard.grossBeforeRefunds', { amount: gross }) : undefined}
        />
        <Stat
          label={t('console.dashboard.abandonedHolds')}
          value={percent(period.abandonedHoldRate)}
          detail={t('console.dashboard.holdsMade', {
            n: format.number(period.holdsCreated),
            count: period.holdsCreated,
          })}
        />
        <Stat
          label={t('console.dashboard.cancellations')}
          value={percent(period.cancellationRate)}
          detail={t('console.dashboard.ticketsCancelled', {
            n: format.number(period.cancelledTickets),
            count: period.cancelledTickets,
          })}
        />
      </div>
    </section>
  );
}

function DailyChart({ dashboard }: { dashboard: Dashboard }) {
  const { t } = useTranslation();
  const format = useFormat();
  const currency = dashboard.daily.find((day) => day.revenue.length > 0)?.revenue[0]?.currency;
  const data = dashboard.daily.map((day) => ({
    day: format.localDay(day.date),
    tickets: day.tickets,
    revenue: day.revenue.find((money) => money.currency === currency)?.net ?? 0,
  }));
  return (
    <Card title={t('console.dashboard.dailyTitle')}>
      <div>
        <div className="h-64 w-full" role="img" aria-label={t('console.dashboard.dailyChartLabel')}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
              <XAxis dataKey="day" tick={{ fontSize: 12 }} />
              <YAxis
                allowDecimals={false}
                tick={{ fontSize: 12 }}
                tickFormatter={(value: number) => format.number(value)}
              />
              <Tooltip
                formatter={(value: unknown, name: unknown) =>
                  name === 'revenue' && currency
                    ? [format.money(Number(value), currency), t('console.dashboard.revenue')]
                    : [format.number(Number(value)), t('console.dashboard.sales')]
                }
              />
              <Bar dataKey="tickets" fill="var(--color-primary)" name="tickets" />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <details className="mt-2">
          <summary className="cursor-pointer text-sm">{t('console.dashboard.showTable')}</summary>
          <ScrollArea>
            <table className="table table-sm">
              <thead>
                <tr>
                  <th scope="col">{t('console.dashboard.day')}</th>
                  <th scope="col">{t('console.dashboard.sales')}</th>
                  <th scope="col">{t('console.dashboard.revenue')}</th>
                </tr>
              </thead>
              <tbody>
                {dashboard.daily.map((day) => (
                  <tr key={day.date}>
                    <td>{format.localDay(day.date)}</td>
                    <td>{format.number(day.tickets)}</td>
                    <td>{day.revenue.map((money) => format.money(money.net, money.currency)).join(' · ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        </details>
      </div>
    </Card>
  );
}

function OccupancyList({ title, items, empty }: { title: string; items: OccupancyItem[]; empty: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = usePercent();
  const data = items.map((item) => ({
    name: `${item.title} · ${format.date(item.startsAt, item.timezone, 'dateTime')}`,
    load: Math.round(item.loadFactor * 1000) / 10,
  }));
  return (
    <Card title={title}>
      {items.length === 0 ? (
        <p className="text-base-content/80">{empty}</p>
      ) : (
        <>
          <div
            className="w-full"
            style={{ height: Math.max(120, items.length * 36) }}
            role="img"
            aria-label={t('console.dashboard.loadChartLabel', { title })}
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
                <XAxis
                  type="number"
                  domain={[0, 100]}
                  tick={{ fontSize: 12 }}
                  tickFormatter={(value: number) => percent(value / 100)}
                />
                <YAxis type="category" dataKey="name" width={180} tick={{ fontSize: 11 }} />
                <Tooltip formatter={(value: unknown) => [`${String(value)} %`, t('console.dashboard.loadFactor')]} />
                <Bar dataKey="load" fill="var(--color-secondary)" />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ScrollArea>
            <table className="table table-sm">
              <thead>
                <tr>
                  <th scope="col">{t('console.dashboard.what')}</th>
                  <th scope="col">{t('console.dashboard.when')}</th>
                  <th scope="col">{t('console.dashboard.sold')}</th>
                  <th scope="col">{t('console.dashboard.held')}</th>
                  <th scope="col">{t('console.dashboard.available')}</th>
                  <th scope="col">{t('console.dashboard.loadFactor')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id}>
                    <td>
                      <span className="font-medium">{item.title}</span> <StatusBadge status={item.status} />
                    </td>
                    <td>{format.date(item.startsAt, item.timezone, 'dateTime')}</td>
                    <td>
                      {format.number(item.sold)} / {format.number(item.capacity)}
                    </td>
                    <td>{format.number(item.held)}</td>
                    <td>{format.number(item.available)}</td>
                    <td>
                      {percent(item.loadFactor)}
                      {item.peakLoadFactor !== undefined
                        ? ` (${t('console.dashboard.peakLeg', { value: percent(item.peakLoadFactor) })})`
                        : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        </>
      )}
    </Card>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { organizerId } = useConsoleOrg();
  const dashboard = useDashboard(organizerId);
  usePageTitle(t('console.dashboard.title'));
  if (dashboard.isPending) return <Loading />;
  if (dashboard.isError) return <ErrorState error={dashboard.error} onRetry={() => void dashboard.refetch()} />;
  const data = dashboard.data;
  return (
    <div>
      <PageHeader title={t('console.dashboard.title')}>
        <span className="text-base-content/80 text-sm">{t('console.dashboard.daysIn', { zone: data.timezone })}</span>
      </PageHeader>
      <PeriodStats
        title={t('console.dashboard.today', { date: format.localDay(data.today.date) })}
        period={data.today}
      />
      <PeriodStats
        title={t('console.dashboard.thisWeek', { date: format.localDay(data.week.startDate) })}
        period={data.week}
      />
      <section aria-label={t('console.dashboard.holdsTitle')} className="mb-4 grid grid-cols-2 gap-2 md:max-w-md">
        <Stat label={t('console.dashboard.activeHolds')} value={format.number(data.holds.active)} />
        <Stat
          label={t('console.dashboard.expiringHolds')}
          value={format.number(data.holds.expiringSoon)}
          detail={t('console.dashboard.withinMinutes', { n: format.number(data.holds.expiringWithinSeconds / 60) })}
        />
      </section>
      <DailyChart dashboard={data} />
      <div className="grid gap-4 xl:grid-cols-2">
        <OccupancyList
          title={t('console.dashboard.upcomingEvents')}
          items={data.upcoming.events}
          empty={t('console.dashboard.noUpcomingEvents')}
        />
        <OccupancyList
          title={t('console.dashboard.upcomingTrips')}
          items={data.upcoming.trips}
          empty={t('console.dashboard.noUpcomingTrips')}
        />
      </div>
    </div>
  );
}
