import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { newIdempotencyKey, useAdminOrder, useOrganizerRefund, type AdminOrder } from '../../api/console';
import { ErrorState, ErrorText, Loading } from '../../components/states';
import { currencyDigits, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleHref } from './console-context';
import { Card, Field, PageHeader, StatusBadge, toMinorUnits, ScrollArea } from './console-ui';

type Mode = 'all' | 'seats' | 'amount';

/** Refunds all seats, chosen seats (cancelled, back on sale) or an amount (tickets stay valid). */
function RefundForm({ order }: { order: AdminOrder }) {
  const { t } = useTranslation();
  const format = useFormat();
  const refund = useOrganizerRefund(order.id);
  const [mode, setMode] = useState<Mode>('all');
  const [lineIds, setLineIds] = useState<string[]>([]);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  // One key per refund the organizer means to make: a double click or a retry sends the same one.
  const [key, setKey] = useState(newIdempotencyKey);
  const [invalid, setInvalid] = useState<string | null>(null);
  const active = order.lines.filter((line) => line.status === 'active');
  const checkedIn = new Set(
    order.tickets.filter((ticket) => ticket.checkedInAt).map((ticket) => ticket.seatId ?? ticket.id),
  );
  const left = order.total - order.refundedAmount;
  if (order.paymentStatus === 'unpaid' || left <= 0) {
    return <p className="text-base-content/80">{t('console.orderDetail.nothingToRefund')}</p>;
  }
  const submit = () => {
    setInvalid(null);
    const body: { lineIds?: string[]; amount?: number; reason: string } = { reason: reason.trim() };
    if (mode === 'seats') {
      if (lineIds.length === 0) return setInvalid(t('console.orderDetail.chooseSeats'));
      body.lineIds = lineIds;
    }
    if (mode === 'amount') {
      const minor = toMinorUnits(amount, currencyDigits(order.currency));
      if (!Number.isFinite(minor) || minor <= 0) return setInvalid(t('console.orderDetail.amountInvalid'));
      body.amount = minor;
    }
    refund.mutate(
      { body, key },
      {
        onSuccess: () => {
          setKey(newIdempotencyKey());
          setLineIds([]);
          setAmount('');
          setReason('');
        },
      },
    );
  };
  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium">{t('console.orderDetail.refundWhat')}</legend>
        {(['all', 'seats', 'amount'] as const).map((option) => (
          <label key={option} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              className="radio radio-sm"
              name="refund-mode"
              checked={mode === option}
              onChange={() => setMode(option)}
            />
            {t(`console.orderDetail.mode.${option}`)}
          </label>
        ))}
      </fieldset>
      {mode === 'seats' ? (
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">{t('console.orderDetail.seats')}</legend>
          {active.map((line) => (
            <label key={line.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="checkbox checkbox-sm"
                disabled={checkedIn.has(line.seatId ?? '')}
                checked={lineIds.includes(line.id)}
                onChange={(event) =>
                  setLineIds(event.target.checked ? [...lineIds, line.id] : lineIds.filter((id) => id !== line.id))
                }
              />
              {line.label} · {format.money(line.total - line.refundedAmount, order.currency)}
              {checkedIn.has(line.seatId ?? '') ? ` (${t('console.orderDetail.checkedIn')})` : ''}
            </label>
          ))}
        </fieldset>
      ) : null}
      {mode === 'amount' ? (
        <Field
          label={t('console.orderDetail.amount', { currency: order.currency })}
          hint={t('console.orderDetail.amountHint', { left: format.money(left, order.currency) })}
        >
          {(id, hint) => (
            <input
              id={id}
              aria-describedby={hint}
              className="input input-sm w-40"
              inputMode="decimal"
              required
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          )}
        </Field>
      ) : null}
      <Field label={t('console.orderDetail.reason')}>
        {(id) => (
          <input
            id={id}
            className="input input-sm w-full"
            required
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn btn-sm btn-warning" disabled={refund.isPending}>
          {refund.isPending ? t('common.saving') : t('console.orderDetail.refund')}
        </button>
        {invalid ? (
          <p role="alert" className="text-error text-sm">
            {invalid}
          </p>
        ) : null}
        <ErrorText error={refund.error} />
        {refund.data ? (
          <p role="status" className="text-success text-sm font-medium">
            {t('console.orderDetail.refunded', { amount: format.money(refund.data.refund.amount, order.currency) })}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/** One order: what was bought, by whom, its tickets, payments and refunds; and the refund form. */
export function OrderPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const href = useConsoleHref();
  const { orderId } = useParams();
  const order = useAdminOrder(orderId);
  usePageTitle(order.data ? t('console.orderDetail.title', { code: order.data.code }) : t('console.orders.title'));
  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;
  const data = order.data;
  const zone = data.timezone;
  const ticketOf = new Map(data.tickets.map((ticket) => [ticket.seatId ?? ticket.areaId ?? ticket.id, ticket]));
  return (
    <div>
      <PageHeader title={t('console.orderDetail.title', { code: data.code })}>
        <Link className="btn btn-sm btn-ghost" to={href('/console/orders')}>
          {t('common.back')}
        </Link>
      </PageHeader>
      <Card>
        <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-2">
          <div>
            <dt className="text-base-content/70 text-sm">{t('console.orders.for')}</dt>
            <dd className="font-medium">{data.title}</dd>
            <dd className="text-sm">
              {data.place} · {format.date(data.startsAt, zone, 'dateTime')} ({format.zone(data.startsAt, zone)})
            </dd>
          </div>
          <div>
            <dt className="text-base-content/70 text-sm">{t('console.orders.buyer')}</dt>
            <dd className="font-medium">{data.buyer.name || data.buyer.email}</dd>
            <dd className="text-sm">
              {data.buyer.email}
              {data.buyer.phone ? ` · ${data.buyer.phone}` : ''}
            </dd>
          </div>
          <div>
            <dt className="text-base-content/70 text-sm">{t('console.orders.status')}</dt>
            <dd className="flex flex-wrap gap-1">
              <StatusBadge status={data.status} />
              <span className="badge badge-sm badge-ghost">{t(`console.payment.${data.paymentStatus}`)}</span>
            </dd>
          </div>
          <div>
            <dt className="text-base-content/70 text-sm">{t('console.orders.total')}</dt>
            <dd className="font-medium">{format.money(data.total, data.currency)}</dd>
            {data.refundedAmount > 0 ? (
              <dd className="text-sm">
                {t('console.orders.refunded', { amount: format.money(data.refundedAmount, data.currency) })}
              </dd>
            ) : null}
          </div>
        </dl>
      </Card>
      <Card title={t('console.orderDetail.lines')}>
        <ScrollArea>
          <table className="table table-sm">
            <thead>
              <tr>
                <th scope="col">{t('console.orderDetail.seat')}</th>
                <th scope="col">{t('console.orderDetail.passenger')}</th>
                <th scope="col">{t('console.orders.total')}</th>
                <th scope="col">{t('console.orders.status')}</th>
                <th scope="col">{t('console.orderDetail.ticket')}</th>
              </tr>
            </thead>
            <tbody>
              {data.lines.map((line) => {
                const ticket = ticketOf.get(line.seatId ?? line.areaId ?? '');
                return (
                  <tr key={line.id}>
                    <td>
                      {line.label} <span className="text-xs">({line.category})</span>
                    </td>
                    <td>{line.passenger?.name ?? '—'}</td>
                    <td>
                      {format.money(line.total, data.currency)}
                      {line.refundedAmount > 0 ? (
                        <span className="block text-xs">
                          {t('console.orders.refunded', { amount: format.money(line.refundedAmount, data.currency) })}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <StatusBadge status={line.status === 'active' ? 'confirmed' : 'cancelled'} />
                    </td>
                    <td className="text-sm">
                      {ticket ? (
                        <>
                          <span className="font-mono">{ticket.code}</span>
                          <br />
                          {ticket.checkedInAt
                            ? t('console.orderDetail.checkedInAt', {
                                time: format.date(ticket.checkedInAt, zone, 'dateTime'),
                              })
                            : t(`console.ticket.${ticket.status}`)}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollArea>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={t('console.orderDetail.payments')}>
          {data.payments.length === 0 ? (
            <p className="text-base-content/80">{t('console.orderDetail.noPayments')}</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm">
              {data.payments.map((payment) => (
                <li key={payment.id}>
                  {format.money(payment.amount, payment.currency)} · {payment.provider} ·{' '}
                  {t(`console.paymentRecord.${payment.status}` as 'console.paymentRecord.succeeded', {
                    defaultValue: payment.status,
                  })}
                  {payment.succeededAt ? ` · ${format.date(payment.succeededAt, zone, 'dateTime')}` : ''}
                </li>
              ))}
            </ul>
          )}
          <h3 className="mt-3 font-semibold">{t('console.orderDetail.refunds')}</h3>
          {data.refunds.length === 0 ? (
            <p className="text-base-content/80 text-sm">{t('console.orderDetail.noRefunds')}</p>
          ) : (
            <ul className="flex flex-col gap-1 text-sm">
              {data.refunds.map((refund) => (
                <li key={refund.id}>
                  {format.money(refund.amount, data.currency)} ·{' '}
                  {t(`console.refundStatus.${refund.status}` as 'console.refundStatus.done', {
                    defaultValue: refund.status,
                  })}{' '}
                  · {format.date(refund.createdAt, zone, 'dateTime')}
                  <span className="block text-xs">{refund.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title={t('console.orderDetail.refundTitle')}>
          <RefundForm order={data} />
        </Card>
      </div>
    </div>
  );
}
