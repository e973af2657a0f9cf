import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useCheckin, type Checkin } from '../../api/console';
import { useErrorMessage } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { usePageTitle } from '../../lib/page-title';
import { useConsoleOrg } from './console-context';
import { Card, Field, PageHeader } from './console-ui';

type Outcome =
  | { kind: 'valid'; result: Checkin }
  | { kind: 'used'; firstUsedAt: string | null }
  | { kind: 'invalid'; message: string };

/** The door: type or paste a ticket code, and see at once whether it is valid, already used or not valid. */
export function CheckinPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const message = useErrorMessage();
  const checkin = useCheckin();
  // The organizer's time zone: the error names only the instant, not the place of the ticket.
  const { timezone } = useConsoleOrg();
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const input = useRef<HTMLInputElement>(null);
  usePageTitle(t('console.checkin.title'));

  const submit = () => {
    const trimmed = code.trim();
    if (!trimmed) return;
    checkin.mutate(
      { code: trimmed },
      {
        onSuccess: (result) => setOutcome({ kind: 'valid', result }),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'checkin.already_used') {
            const firstUsedAt = (error.details as { firstUsedAt?: string } | undefined)?.firstUsedAt ?? null;
            setOutcome({ kind: 'used', firstUsedAt });
          } else setOutcome({ kind: 'invalid', message: message(error) });
        },
        onSettled: () => {
          setCode('');
          input.current?.focus();
        },
      },
    );
  };

  return (
    <div className="max-w-2xl">
      <PageHeader title={t('console.checkin.title')} />
      <Card>
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Field label={t('console.checkin.code')} hint={t('console.checkin.hint')} className="min-w-64 flex-1">
            {(id, hint) => (
              <input
                ref={input}
                id={id}
                aria-describedby={hint}
                className="input input-lg w-full font-mono uppercase"
                autoComplete="off"
                autoFocus
                maxLength={64}
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="btn btn-primary btn-lg" disabled={checkin.isPending || !code.trim()}>
            {t('console.checkin.check')}
          </button>
        </form>
      </Card>
      <div aria-live="assertive" aria-atomic="true">
        {outcome?.kind === 'valid' ? (
          <div role="status" className="alert alert-success text-lg" data-testid="checkin-result" data-result="valid">
            <div>
              <p className="text-2xl font-bold">{t('console.checkin.valid')}</p>
              <p>{outcome.result.ticket.title}</p>
              <p>
                {outcome.result.ticket.label}
                {outcome.result.ticket.passengerName ? ` · ${outcome.result.ticket.passengerName}` : ''}
              </p>
              <p className="text-sm">{t('console.checkin.booking', { code: outcome.result.ticket.bookingCode })}</p>
            </div>
          </div>
        ) : outcome?.kind === 'used' ? (
          <div role="alert" className="alert alert-warning text-lg" data-testid="checkin-result" data-result="used">
            <div>
              <p className="text-2xl font-bold">{t('console.checkin.used')}</p>
              {outcome.firstUsedAt ? (
                <p>
                  {t('console.checkin.usedAt', {
                    time: `${format.date(outcome.firstUsedAt, timezone, 'dateTime')} (${format.zone(outcome.firstUsedAt, timezone)})`,
                  })}
                </p>
              ) : null}
            </div>
          </div>
        ) : outcome?.kind === 'invalid' ? (
          <div role="alert" className="alert alert-error text-lg" data-testid="checkin-result" data-result="invalid">
            <div>
              <p className="text-2xl font-bold">{t('console.checkin.invalid')}</p>
              <p>{outcome.message}</p>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
