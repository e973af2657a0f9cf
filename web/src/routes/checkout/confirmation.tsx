import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAccount } from '../../api/auth';
import { useOrder, useStartPayment, useTickets } from '../../api/bookings';
import { PriceBreakdown } from '../../components/price-breakdown';
import { ErrorState, ErrorText, Loading } from '../../components/states';
import { TicketList } from '../../components/tickets';
import { useFormat } from '../../i18n/format';
import { writeCurrentHold } from '../../lib/current-hold';
import { usePageTitle } from '../../lib/page-title';

/**
 * Where the payment page sends the buyer back: waits for the payment to be confirmed (the webhook may
 * land a moment later), then shows the tickets with their QR codes, ready to print.
 */
export function ConfirmationPage() {
  const { orderId = '' } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const format = useFormat();
  const { loggedIn } = useAccount();
  const order = useOrder(orderId, { poll: params.get('cancelled') === null });
  const confirmed = order.data?.status === 'confirmed';
  const tickets = useTickets(orderId, confirmed);
  const pay = useStartPayment();
  usePageTitle(confirmed ? t('confirmation.pageTitle') : t('confirmation.pageTitleWaiting'));
  if (confirmed) writeCurrentHold(null);

  if (!loggedIn) {
    return (
      <p className="py-10 text-center">
        <Link className="btn btn-primary" to={`/login?next=${encodeURIComponent(`/orders/${orderId}/confirmation`)}`}>
          {t('nav.login')}
        </Link>
      </p>
    );
  }
  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  const waiting = o.status === 'pending_payment' && params.get('cancelled') === null;
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <div className="no-print">
        {confirmed ? (
          <div role="status" className="alert alert-success">
            <span>{t('confirmation.confirmed', { code: o.code })}</span>
          </div>
        ) : waiting ? (
          <div role="status" className="alert alert-info">
            <span className="loading loading-spinner loading-sm" aria-hidden="true" />
            <span>{t('confirmation.waiting')}</span>
          </div>
        ) : o.status === 'pending_payment' ? (
          <div role="status" className="alert alert-warning flex flex-wrap">
            <span>{t('confirmation.notPaid')}</span>
            <button type="button" className="btn btn-sm" onClick={() => pay.mutate(o.id)} disabled={pay.isPending}>
              {t('confirmation.payNow', { total: format.money(o.total, o.currency) })}
            </button>
          </div>
        ) : (
          <div role="status" className="alert alert-error">
            <span>{o.paymentStatus === 'refunded' ? t('confirmation.refunded') : t('confirmation.closed')}</span>
          </div>
        )}
        <ErrorText error={pay.error} />
      </div>
      <h1 className="text-2xl font-bold">{o.title}</h1>
      <p>
        {format.date(o.startsAt, o.timezone, 'dateLong')}, {format.date(o.startsAt, o.timezone, 'time')} · {o.place}
      </p>
      <p className="text-sm">{t('checkout.bookingCode', { code: o.code })}</p>
      {confirmed ? (
        tickets.isPending ? (
          <Loading />
        ) : tickets.isError ? (
          <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
        ) : (
          <>
            <div className="no-print flex gap-2">
              <button type="button" className="btn btn-primary" onClick={() => window.print()}>
                {t('confirmation.print')}
              </button>
              <Link className="btn" to={`/bookings/${o.id}`}>
                {t('confirmation.manage')}
              </Link>
            </div>
            <TicketList order={o} tickets={tickets.data.items} />
          </>
        )
      ) : null}
      <details className="no-print">
        <summary className="cursor-pointer font-medium">{t('confirmation.receipt')}</summary>
        <PriceBreakdown order={o} />
      </details>
    </div>
  );
}
