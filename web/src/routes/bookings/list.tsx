import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { useAccount } from '../../api/auth';
import { useOrders } from '../../api/bookings';
import type { Order } from '../../api/types';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';

export function OrderStatusBadge({ order }: { order: Order }) {
  const { t } = useTranslation();
  const tone =
    order.status === 'confirmed'
      ? 'badge-success'
      : order.status === 'pending_payment'
        ? 'badge-warning'
        : 'badge-ghost';
  const partly = order.status === 'confirmed' && order.lines.some((line) => line.status === 'cancelled');
  return (
    <span className={`badge ${tone}`}>
      {partly ? t('bookings.status.partlyCancelled') : t(`bookings.status.${order.status}`)}
    </span>
  );
}

/** The buyer's bookings: upcoming (soonest first) and past. */
export function BookingsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  usePageTitle(t('bookings.pageTitle'));
  const { loggedIn } = useAccount();
  const [scope, setScope] = useState<'upcoming' | 'past'>('upcoming');
  const orders = useOrders(scope, loggedIn);
  if (!loggedIn) return <Navigate to={`/login?next=${encodeURIComponent('/bookings')}`} replace />;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t('bookings.heading')}</h1>
      <div role="tablist" aria-label={t('bookings.heading')} className="tabs tabs-box w-fit">
        {(['upcoming', 'past'] as const).map((value) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={scope === value}
            className={`tab text-base-content ${scope === value ? 'tab-active' : ''}`}
            onClick={() => setScope(value)}
          >
            {t(`bookings.${value}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {orders.isPending ? (
          <Loading />
        ) : orders.isError ? (
          <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
        ) : orders.data.items.length === 0 ? (
          <EmptyState title={scope === 'upcoming' ? t('bookings.noneUpcoming') : t('bookings.nonePast')}>
            <Link to="/" className="btn btn-sm btn-primary">
              {t('checkout.findTickets')}
            </Link>
          </EmptyState>
        ) : (
          <ul className="flex flex-col gap-3">
            {orders.data.items.map((order) => (
              <li key={order.id} className="card bg-base-100 border-base-300 border">
                <div className="card-body flex-row flex-wrap items-center gap-3 p-4">
                  <div className="flex-1">
                    <h2 className="font-semibold">
                      <Link to={`/bookings/${order.id}`} className="link link-hover">
                        {order.title}
                      </Link>
                    </h2>
                    <p className="text-sm">
                      {format.date(order.startsAt, order.timezone, 'dateTime')} · {order.place}
                    </p>
                    <p className="text-base-content/80 text-sm">
                      {order.code} ·{' '}
                      {t('bookings.tickets', { count: order.lines.length, n: format.number(order.lines.length) })}
                    </p>
                  </div>
                  <div className="flex flex-col items-end gap-1">
                    <OrderStatusBadge order={order} />
                    <span className="font-semibold">{format.money(order.total, order.currency)}</span>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
