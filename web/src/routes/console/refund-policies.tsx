import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteRefundPolicy, useRefundPolicies, useSaveRefundPolicy } from '../../api/console';
import { EmptyState, ErrorState, ErrorText, Loading } from '../../components/states';
import { currencyDigits, useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleOrg } from './console-context';
import { Card, Field, NeedsOrganizer, PageHeader, toMinorUnits } from './console-ui';

interface RuleRow {
  hours: string;
  percent: string;
  flat: string;
}

/** Refund policies: tiers by hours before the start, each keeping a percentage and/or a flat fee. */
export function RefundPoliciesPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { organizerId, currency } = useConsoleOrg();
  const policies = useRefundPolicies(organizerId);
  const save = useSaveRefundPolicy();
  const remove = useDeleteRefundPolicy();
  const [name, setName] = useState('');
  const [rules, setRules] = useState<RuleRow[]>([
    { hours: '48', percent: '0', flat: '0' },
    { hours: '12', percent: '25', flat: '0' },
  ]);
  const [invalid, setInvalid] = useState(false);
  usePageTitle(t('console.policies.title'));
  const digits = currencyDigits(currency ?? 'BDT');
  return (
    <div>
      <PageHeader title={t('console.policies.title')} />
      <NeedsOrganizer>
        <Card title={t('console.policies.new')}>
          <p className="text-base-content/80 text-sm">{t('console.policies.help')}</p>
          <form
            className="flex flex-col gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              const parsed = rules.map((rule) => ({
                minHoursBefore: Number(rule.hours),
                feePercent: Number(rule.percent),
                feeFlat: toMinorUnits(rule.flat || '0', digits),
              }));
              const ok = parsed.every((rule) =>
                [rule.minHoursBefore, rule.feePercent, rule.feeFlat].every(Number.isFinite),
              );
              setInvalid(!ok);
              if (!ok) return;
              save.mutate({
                organizerId,
                name,
                scopeKind: 'organizer',
                rules: parsed.sort((a, b) => b.minHoursBefore - a.minHoursBefore),
              });
            }}
          >
            <Field label={t('console.policies.name')} className="max-w-md">
              {(id) => (
                <input
                  id={id}
                  className="input input-sm w-full"
                  required
                  maxLength={200}
                  value={name}
                  onChange={(event) => setName(event.target.value)}
                />
              )}
            </Field>
            {rules.map((rule, index) => (
              <fieldset key={index} className="flex flex-wrap items-end gap-2">
                <legend className="text-sm font-medium">{t('console.policies.tier', { n: index + 1 })}</legend>
                <Field label={t('console.policies.hours')}>
                  {(id) => (
                    <input
                      id={id}
                      type="number"
                      className="input input-sm w-28"
                      required
                      value={rule.hours}
                      onChange={(event) =>
                        setRules(rules.map((r, i) => (i === index ? { ...r, hours: event.target.value } : r)))
                      }
                    />
                  )}
                </Field>
                <Field label={t('console.policies.percent')}>
                  {(id) => (
                    <input
                      id={id}
                      type="number"
                      min={0}
                      max={100}
                      step="0.01"
                      className="input input-sm w-24"
                      required
                      value={rule.percent}
                      onChange={(event) =>
                        setRules(rules.map((r, i) => (i === index ? { ...r, percent: event.target.value } : r)))
                      }
                    />
                  )}
                </Field>
                <Field label={t('console.policies.flat', { currency: currency ?? '' })}>
                  {(id) => (
                    <input
                      id={id}
                      className="input input-sm w-28"
                      inputMode="decimal"
                      value={rule.flat}
                      onChange={(event) =>
                        setRules(rules.map((r, i) => (i === index ? { ...r, flat: event.target.value } : r)))
                      }
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="btn btn-sm btn-ghost"
                  onClick={() => setRules(rules.filter((_, i) => i !== index))}
                >
                  {t('console.policies.removeTier', { n: index + 1 })}
                </button>
              </fieldset>
            ))}
            <div className="flex flex-wrap gap-2">
              <button
                type="button"
                className="btn btn-xs"
                onClick={() => setRules([...rules, { hours: '0', percent: '50', flat: '0' }])}
              >
                {t('console.policies.addTier')}
              </button>
            </div>
            <div className="flex items-center gap-3">
              <button type="submit" className="btn btn-sm btn-primary" disabled={save.isPending}>
                {t('console.policies.create')}
              </button>
              {invalid ? (
                <p role="alert" className="text-error text-sm">
                  {t('console.policies.invalid')}
                </p>
              ) : null}
              <ErrorText error={save.error} />
            </div>
          </form>
        </Card>
      </NeedsOrganizer>
      {policies.isPending ? (
        <Loading />
      ) : policies.isError ? (
        <ErrorState error={policies.error} onRetry={() => void policies.refetch()} />
      ) : policies.data.length === 0 ? (
        <EmptyState title={t('console.policies.none')} />
      ) : (
        policies.data.map((policy) => (
          <Card
            key={policy.id}
            title={policy.name}
            actions={
              <button
                type="button"
                className="btn btn-xs btn-outline btn-error"
                disabled={remove.isPending}
                onClick={() => remove.mutate(policy.id)}
              >
                {t('console.policies.delete', { name: policy.name })}
              </button>
            }
          >
            <p className="text-sm">{t(`console.policies.scope.${policy.scopeKind}`)}</p>
            {policy.rules.length === 0 ? (
              <p className="text-sm">{t('console.policies.noRefund')}</p>
            ) : (
              <ul className="list-disc pl-5 text-sm">
                {policy.rules.map((rule, i) => (
                  <li key={i}>
                    {t('console.policies.rule', {
                      hours: format.number(rule.minHoursBefore),
                      percent: format.number(rule.feePercent),
                      flat: format.money(rule.feeFlat, currency ?? 'BDT'),
                    })}
                  </li>
                ))}
              </ul>
            )}
            <ErrorText error={remove.error} />
          </Card>
        ))
      )}
    </div>
  );
}
