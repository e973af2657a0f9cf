import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoupons, useSaveCoupon } from '../../api/console';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/states';
import { currencyDigits, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleOrg } from './console-context';
import { Card, Field, NeedsOrganizer, PageHeader, toMinorUnits, ScrollArea } from './console-ui';

/** Coupons: percentage or fixed amount, with a cap; usage counts; deactivate. */
export function CouponsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { organizerId, currency } = useConsoleOrg();
  const coupons = useCoupons(organizerId);
  const save = useSaveCoupon();
  const [form, setForm] = useState({
    code: '',
    kind: 'percent' as 'percent' | 'fixed',
    value: '10',
    maxRedemptions: '',
  });
  const [invalid, setInvalid] = useState(false);
  usePageTitle(t('console.coupons.title'));
  return (
    <div>
      <PageHeader title={t('console.coupons.title')} />
      <NeedsOrganizer>
        <Card title={t('console.coupons.new')}>
          <form
            className="grid gap-3 sm:grid-cols-5"
            onSubmit={(event) => {
              event.preventDefault();
              const value =
                form.kind === 'percent'
                  ? Number(form.value)
                  : toMinorUnits(form.value, currencyDigits(currency ?? 'BDT'));
              const ok = Number.isFinite(value) && value > 0 && (form.kind === 'fixed' || value <= 100);
              setInvalid(!ok);
              if (!ok) return;
              save.mutate(
                {
                  organizerId,
                  code: form.code,
                  kind: form.kind,
                  value,
                  ...(form.maxRedemptions ? { maxRedemptions: Number(form.maxRedemptions) } : {}),
                },
                { onSuccess: () => setForm({ ...form, code: '' }) },
              );
            }}
          >
            <Field label={t('console.coupons.code')}>
              {(id) => (
                <input
                  id={id}
                  className="input input-sm w-full"
                  required
                  maxLength={64}
                  value={form.code}
                  onChange={(event) => setForm({ ...form, code: event.target.value.toUpperCase() })}
                />
              )}
            </Field>
            <Field label={t('console.coupons.kind')}>
              {(id) => (
                <select
                  id={id}
                  className="select select-sm w-full"
                  value={form.kind}
                  onChange={(event) => setForm({ ...form, kind: event.target.value as 'percent' | 'fixed' })}
                >
                  <option value="percent">{t('console.coupons.percent')}</option>
                  <option value="fixed">{t('console.coupons.fixed', { currency: currency ?? '' })}</option>
                </select>
              )}
            </Field>
            <Field label={t('console.coupons.value')}>
              {(id) => (
                <input
                  id={id}
                  className="input input-sm w-full"
                  inputMode="decimal"
                  required
                  value={form.value}
                  onChange={(event) => setForm({ ...form, value: event.target.value })}
                />
              )}
            </Field>
            <Field label={t('console.coupons.cap')} hint={t('console.coupons.capHint')}>
              {(id, hint) => (
                <input
                  id={id}
                  aria-describedby={hint}
                  type="number"
                  min={1}
                  className="input input-sm w-full"
                  value={form.maxRedemptions}
                  onChange={(event) => setForm({ ...form, maxRedemptions: event.target.value })}
                />
              )}
            </Field>
            <div className="flex items-end">
              <button type="submit" className="btn btn-sm btn-primary" disabled={save.isPending}>
                {t('console.coupons.create')}
              </button>
            </div>
            <div className="col-span-full">
              {invalid ? (
                <p role="alert" className="text-error text-sm">
                  {t('console.coupons.valueInvalid')}
                </p>
              ) : null}
              <ErrorText error={save.error} />
            </div>
          </form>
        </Card>
      </NeedsOrganizer>
      {coupons.isPending ? (
        <Loading />
      ) : coupons.isError ? (
        <ErrorState error={coupons.error} onRetry={() => void coupons.refetch()} />
      ) : coupons.data.length === 0 ? (
        <EmptyState title={t('console.coupons.none')} />
      ) : (
        <ScrollArea>
          <table className="table table-sm">
            <caption className="sr-only">{t('console.coupons.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.coupons.code')}</th>
                <th scope="col">{t('console.coupons.value')}</th>
                <th scope="col">{t('console.coupons.used')}</th>
                <th scope="col">{t('console.coupons.state')}</th>
                <th scope="col">{t('console.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {coupons.data.map((coupon) => (
                <tr key={coupon.id}>
                  <td className="font-mono">{coupon.code}</td>
                  <td>
                    {coupon.kind === 'percent'
                      ? `${format.number(coupon.value)} %`
                      : format.money(coupon.value, currency ?? 'BDT')}
                  </td>
                  <td>
                    {format.number(coupon.usage.redemptions)}
                    {coupon.maxRedemptions !== null ? ` / ${format.number(coupon.maxRedemptions)}` : ''}
                  </td>
                  <td>{coupon.active ? t('console.coupons.active') : t('console.coupons.inactive')}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-xs"
                      onClick={() => save.mutate({ id: coupon.id, active: !coupon.active })}
                    >
                      {coupon.active
                        ? t('console.coupons.deactivate', { code: coupon.code })
                        : t('console.coupons.activate', { code: coupon.code })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </div>
  );
}
