import { useTranslation } from 'react-i18next';
import type { Order } from '../api/types';
import { useFormat } from '../i18n/format';

/** Seats, fees, discount, tax and total of an order, as the server priced it. */
export function PriceBreakdown({ order }: { order: Order }) {
  const { t } = useTranslation();
  const format = useFormat();
  const money = (amount: number) => format.money(amount, order.currency);
  return (
    <div className="flex flex-col gap-2">
      <table className="table table-sm">
        <caption className="sr-only">{t('checkout.breakdown')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('checkout.item')}</th>
            <th scope="col" className="text-right">
              {t('checkout.price')}
            </th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.id}>
              <td>
                {line.label} <span className="text-base-content/70">({line.category})</span>
                {line.passenger ? <span className="block text-xs">{line.passenger.name}</span> : null}
              </td>
              <td className="text-right">{money(line.price)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm" data-testid="price-breakdown">
        <dt>{t('checkout.seats', { count: order.lines.length, n: format.number(order.lines.length) })}</dt>
        <dd className="text-right">{money(order.subtotal)}</dd>
        <dt>{t('checkout.fees')}</dt>
        <dd className="text-right">{money(order.bookingFee)}</dd>
        {order.discount > 0 ? (
          <>
            <dt>
              {t('checkout.discount')}
              {order.couponCode ? ` (${order.couponCode})` : ''}
            </dt>
            <dd className="text-success text-right">−{money(order.discount)}</dd>
          </>
        ) : null}
        <dt>{t('checkout.tax')}</dt>
        <dd className="text-right">{money(order.tax)}</dd>
        <dt className="border-base-300 border-t pt-1 text-base font-bold">{t('checkout.total')}</dt>
        <dd className="border-base-300 border-t pt-1 text-right text-base font-bold" data-testid="order-total">
          {money(order.total)}
        </dd>
      </dl>
    </div>
  );
}
