import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router';
import { useAccount } from '../../api/auth';
import {
  useCancelOrder,
  useCancellationQuote,
  useOrder,
  useRequestCancellationCode,
  useStartPayment,
  useTickets,
} from '../../api/bookings';
import type { Order } from '../../api/types';
import { PriceBreakdown } from '../../components/price-breakdown';
import { ErrorState, ErrorText, Loading } from '../../components/states';
import { TicketList } from '../../components/tickets';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { OrderStatusBadge } from './list';

/**
 * Cancel all or some seats (or passengers): choose lines, read the refund the policy gives now, ask for
 * the one-time code, enter it. An unpaid booking is cancelled whole, without a code.
 */
function Cancellation({ order }: { order: Order }) {
  const { t } = useTranslation();
  const format = useFormat();
  const active = order.lines.filter((line) => line.status === 'active');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(active.map((line) => line.id)));
  const [asked, setAsked] = useState<string[] | null>(null);
  const quote = useCancellationQuote(order.id, asked);
  const sendCode = useRequestCancellationCode(order.id);
  const cancel = useCancelOrder(order.id);
  const [code, setCode] = useState('');
  const money = (amount: number) => format.money(amount, order.currency);
  const unpaid = order.status === 'pending_payment';

  if (cancel.data) {
    const result = cancel.data;
    return (
      <div role="status" className="alert alert-success flex flex-col items-start" data-testid="cancellation-result">
        <p className="font-semibold">
          {t('cancel.done', {
            count: result.cancelledLineIds.length,
            n: format.number(result.cancelledLineIds.length),
          })}
        </p>
        <p>
          {result.refund.amount > 0
            ? t(
                `cancel.refund.${result.refund.status === 'done' ? 'done' : result.refund.status === 'failed' ? 'failed' : 'pending'}`,
                { amount: money(result.refund.amount) },
              )
            : t('cancel.noRefund')}
        </p>
      </div>
    );
  }
  if (unpaid) {
    return (
      <div className="flex flex-col gap-2">
        <p className="text-sm">{t('cancel.unpaid')}</p>
        <ErrorText error={cancel.error} />
        <button
          type="button"
          className="btn btn-outline btn-error w-fit"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({})}
        >
          {t('cancel.cancelBooking')}
        </button>
      </div>
    );
  }
  if (active.length === 0) return <p className="text-sm">{t('cancel.nothingLeft')}</p>;

  const lineIds = [...chosen];
  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    cancel.mutate({ code, lineIds: asked ?? lineIds });
  };
  return (
    <div className="flex flex-col gap-3">
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 font-medium">{t('cancel.choose')}</legend>
        {active.map((line) => (
          <label key={line.id} className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="checkbox checkbox-sm"
              checked={chosen.has(line.id)}
              onChange={() => {
                const next = new Set(chosen);
                if (next.has(line.id)) next.delete(line.id);
                else next.add(line.id);
                setChosen(next);
                setAsked(null);
                sendCode.reset();
              }}
            />
            {line.label}
            {line.passenger ? ` — ${line.passenger.name}` : ''} ({money(line.total)})
          </label>
        ))}
      </fieldset>
      <button
        type="button"
        className="btn btn-sm w-fit"
        disabled={lineIds.length === 0}
        onClick={() => setAsked(lineIds)}
      >
        {t('cancel.getQuote')}
      </button>
      {asked && quote.isPending ? <Loading /> : null}
      {asked && quote.isError ? <ErrorText error={quote.error} /> : null}
      {asked && quote.data ? (
        <div className="bg-base-200 rounded-box flex flex-col gap-2 p-3" data-testid="cancellation-quote">
          <p className="text-sm">{t('cancel.policy', { name: quote.data.policy.name })}</p>
          <table className="table table-sm">
            <caption className="sr-only">{t('cancel.quoteCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('checkout.item')}</th>
                <th scope="col" className="text-right">
                  {t('cancel.paid')}
                </th>
                <th scope="col" className="text-right">
                  {t('cancel.fee')}
                </th>
                <th scope="col" className="text-right">
                  {t('cancel.refundColumn')}
                </th>
              </tr>
            </thead>
            <tbody>
              {quote.data.lines.map((line) => (
                <tr key={line.lineId}>
                  <td>{line.label}</td>
                  <td className="text-right">{money(line.total)}</td>
                  <td className="text-right">{money(line.fee)}</td>
                  <td className="text-right">{money(line.refund)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="font-semibold" data-testid="refund-amount">
            {t('cancel.youGetBack', { amount: money(quote.data.refund) })}
          </p>
          {!quote.data.cancellable ? (
            <p className="text-error text-sm">{quote.data.reason?.message}</p>
          ) : !sendCode.data ? (
            <>
              <ErrorText error={sendCode.error} />
              <button
                type="button"
                className="btn btn-error btn-sm w-fit"
                disabled={sendCode.isPending}
                onClick={() => sendCode.mutate(asked)}
              >
                {t('cancel.sendCode')}
              </button>
            </>
          ) : (
            <form onSubmit={submitCode} className="flex flex-col gap-2">
              <p className="text-sm">{t('cancel.codeSent', { where: sendCode.data.delivery })}</p>
              <label className="flex max-w-xs flex-col gap-1">
                <span className="text-sm font-medium">{t('cancel.code')}</span>
                <input
                  className="input input-bordered font-mono tracking-widest"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9]{6}"
                  maxLength={6}
                  required
                  value={code}
                  onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
                />
              </label>
              <ErrorText error={cancel.error} />
              <div className="flex gap-2">
                <button type="submit" className="btn btn-error btn-sm" disabled={code.length !== 6 || cancel.isPending}>
                  {t('cancel.confirm')}
                </button>
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => sendCode.mutate(asked)}
                  disabled={sendCode.isPending}
                >
                  {t('cancel.resend')}
                </button>
              </div>
            </form>
          )}
        </div>
      ) : null}
    </div>
  );
}

export function BookingPage() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const { loggedIn } = useAccount();
  const order = useOrder(orderId);
  const confirmed = order.data?.status === 'confirmed';
  const tickets = useTickets(orderId, confirmed);
  const pay = useStartPayment();
  usePageTitle(order.data ? t('bookings.detailTitle', { title: order.data.title }) : t('bookings.pageTitle'));
  if (!loggedIn) return <Navigate to={`/login?next=${encodeURIComponent(`/bookings/${orderId}`)}`} replace />;
  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  const future = new Date(o.startsAt).getTime() > Date.now();
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <Link to="/bookings" className="link no-print text-sm">
        ← {t('bookings.heading')}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-bold">{o.title}</h1>
        <OrderStatusBadge order={o} />
      </div>
      <p>
        {format.date(o.startsAt, o.timezone, 'dateLong')}, {format.date(o.startsAt, o.timezone, 'time')} · {o.place}
      </p>
      <p className="text-sm">{t('checkout.bookingCode', { code: o.code })}</p>
      {o.refundedAmount > 0 ? (
        <p className="text-sm">{t('bookings.refunded', { amount: format.money(o.refundedAmount, o.currency) })}</p>
      ) : null}
      {o.status === 'pending_payment' ? (
        <div className="no-print">
          <ErrorText error={pay.error} />
          <button type="button" className="btn btn-primary" disabled={pay.isPending} onClick={() => pay.mutate(o.id)}>
            {t('confirmation.payNow', { total: format.money(o.total, o.currency) })}
          </button>
        </div>
      ) : null}
      {confirmed ? (
        <section aria-labelledby="tickets-heading" className="flex flex-col gap-2">
          <div className="flex items-center justify-between gap-2">
            <h2 id="tickets-heading" className="text-lg font-semibold">
              {t('bookings.ticketsHeading')}
            </h2>
            <button type="button" className="btn btn-sm no-print" onClick={() => window.print()}>
              {t('common.print')}
            </button>
          </div>
          {tickets.isPending ? (
            <Loading />
          ) : tickets.isError ? (
            <ErrorState error={tickets.error} />
          ) : (
            <TicketList order={o} tickets={tickets.data.items} />
          )}
        </section>
      ) : null}
      <section aria-labelledby="price-heading" className="no-print">
        <h2 id="price-heading" className="mb-2 text-lg font-semibold">
          {t('confirmation.receipt')}
        </h2>
        <PriceBreakdown order={o} />
      </section>
      {(confirmed || o.status === 'pending_payment') && future ? (
        <section aria-labelledby="cancel-heading" className="card bg-base-100 border-base-300 no-print border p-4">
          <h2 id="cancel-heading" className="mb-2 text-lg font-semibold">
            {t('cancel.heading')}
          </h2>
          <Cancellation order={o} />
        </section>
      ) : null}
    </div>
  );
}
