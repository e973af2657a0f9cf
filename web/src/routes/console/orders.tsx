import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useOrderSearch } from '../../api/console';
import { Pagination } from '../../components/pagination';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleHref, useConsoleOrg } from './console-context';
import { Field, PageHeader, StatusBadge, ScrollArea } from './console-ui';

const PAGE_SIZE = 25;

/** Find an order by booking code, buyer's email or name, or passenger name. */
export function OrdersPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const href = useConsoleHref();
  const { organizerId } = useConsoleOrg();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [text, setText] = useState(q);
  const orders = useOrderSearch({ organizerId, q, offset: (page - 1) * PAGE_SIZE });
  usePageTitle(t('console.orders.title'));
  const setQuery = (next: Record<string, string | null>) => {
    const updated = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value) updated.set(key, value);
      else updated.delete(key);
    }
    setParams(updated);
  };
  return (
    <div>
      <PageHeader title={t('console.orders.title')} />
      <form
        role="search"
        className="mb-4 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery({ q: text.trim() || null, page: null });
        }}
      >
        <Field label={t('console.orders.search')} hint={t('console.orders.searchHint')} className="min-w-64 flex-1">
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              type="search"
              className="input input-sm w-full"
              maxLength={200}
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-sm btn-primary">
          {t('console.orders.find')}
        </button>
      </form>
      {orders.isPending ? (
        <Loading />
      ) : orders.isError ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.data.items.length === 0 ? (
        <EmptyState title={q ? t('console.orders.noneFound', { q }) : t('console.orders.none')} />
      ) : (
        <>
          <ScrollArea>
            <table className="table table-sm">
              <caption className="sr-only">{t('console.orders.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('console.orders.code')}</th>
                  <th scope="col">{t('console.orders.buyer')}</th>
                  <th scope="col">{t('console.orders.for')}</th>
                  <th scope="col">{t('console.orders.total')}</th>
                  <th scope="col">{t('console.orders.status')}</th>
                  <th scope="col">{t('console.orders.booked')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.data.items.map((order) => (
                  <tr key={order.id}>
                    <td>
                      <Link className="link font-mono" to={href(`/console/orders/${order.id}`)}>
                        {order.code}
                      </Link>
                    </td>
                    <td>
                      {order.buyer.name}
                      <br />
                      <span className="text-base-content/70 text-xs">{order.buyer.email}</span>
                    </td>
                    <td>
                      {order.title}
                      <br />
                      <span className="text-base-content/70 text-xs">
                        {format.date(order.startsAt, order.timezone, 'dateTime')}
                      </span>
                    </td>
                    <td>
                      {format.money(order.total, order.currency)}
                      {order.refundedAmount > 0 ? (
                        <span className="block text-xs">
                          {t('console.orders.refunded', { amount: format.money(order.refundedAmount, order.currency) })}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <StatusBadge status={order.status} />
                    </td>
                    <td>{format.date(order.createdAt, order.timezone, 'dateTime')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
          <Pagination
            page={page}
            pageSize={PAGE_SIZE}
            total={orders.data.total}
            onPage={(next) => setQuery({ page: String(next) })}
          />
        </>
      )}
    </div>
  );
}
