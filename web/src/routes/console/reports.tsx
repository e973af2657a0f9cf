import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadSalesCsv, useSalesReport, type SalesQuery } from '../../api/console';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/states';
import { localDate, todayIn, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleOrg } from './console-context';
import { Card, Field, PageHeader, ScrollArea } from './console-ui';

/** Sales between two days, by day, event or trip, with a CSV download for spreadsheets. */
export function ReportsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { organizerId, timezone } = useConsoleOrg();
  const today = todayIn(timezone);
  const monthAgo = localDate(new Date(Date.now() - 29 * 86_400_000), timezone);
  const [form, setForm] = useState<SalesQuery>({ organizerId, from: monthAgo, to: today, groupBy: 'day' });
  const [params, setParams] = useState<SalesQuery>(form);
  const report = useSalesReport({ ...params, organizerId });
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  usePageTitle(t('console.reports.title'));
  return (
    <div>
      <PageHeader title={t('console.reports.title')} />
      <Card>
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            setParams(form);
          }}
        >
          <Field label={t('console.reports.from')} hint={t('console.reports.zoneHint', { zone: timezone })}>
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
          <Field label={t('console.reports.to')}>
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
          <Field label={t('console.reports.groupBy')}>
            {(id) => (
              <select
                id={id}
                className="select select-sm"
                value={form.groupBy}
                onChange={(event) => setForm({ ...form, groupBy: event.target.value as SalesQuery['groupBy'] })}
              >
                {(['day', 'event', 'trip'] as const).map((group) => (
                  <option key={group} value={group}>
                    {t(`console.reports.by.${group}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="btn btn-sm btn-primary">
            {t('console.reports.show')}
          </button>
          <button
            type="button"
            className="btn btn-sm"
            disabled={downloading}
            onClick={() => {
              setDownloading(true);
              setDownloadError(null);
              downloadSalesCsv({ ...params, organizerId })
                .catch((error: unknown) => setDownloadError(error))
                .finally(() => setDownloading(false));
            }}
          >
            {t('console.reports.csv')}
          </button>
          <ErrorText error={downloadError} />
        </form>
      </Card>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.rows.length === 0 ? (
        <EmptyState title={t('console.reports.none')} />
      ) : (
        <Card
          title={t('console.reports.totals', {
            orders: format.number(report.data.orders),
            tickets: format.number(report.data.tickets),
          })}
        >
          <p className="text-lg font-semibold">
            {report.data.totals.map((money) => format.money(money.net, money.currency)).join(' · ')}
          </p>
          <ScrollArea>
            <table className="table table-sm">
              <thead>
                <tr>
                  <th scope="col">{t(`console.reports.by.${report.data.groupBy as SalesQuery['groupBy']}`)}</th>
                  <th scope="col">{t('console.reports.orders')}</th>
                  <th scope="col">{t('console.reports.tickets')}</th>
                  <th scope="col">{t('console.reports.gross')}</th>
                  <th scope="col">{t('console.reports.refunded')}</th>
                  <th scope="col">{t('console.reports.net')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((row) => (
                  <tr key={`${row.key}-${row.currency}`}>
                    <td>
                      {report.data.groupBy === 'day' ? format.localDay(row.key) : row.label}
                      {row.startsAt ? (
                        <span className="block text-xs">{format.date(row.startsAt, row.timezone, 'dateTime')}</span>
                      ) : null}
                    </td>
                    <td>{format.number(row.orders)}</td>
                    <td>{format.number(row.tickets)}</td>
                    <td>{format.money(row.gross, row.currency)}</td>
                    <td>{format.money(row.refunded, row.currency)}</td>
                    <td>{format.money(row.net, row.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        </Card>
      )}
    </div>
  );
}
