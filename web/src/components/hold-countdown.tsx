import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSecondsLeft } from '../api/holds';
import { useFormat } from '../i18n/format';

/**
 * How long the seats stay held, and what happens then. Screen readers hear it at set moments (every
 * minute, then at 30 and 10 seconds), not every second.
 */
export function HoldCountdown({ expiresAt, onExpired }: { expiresAt: string; onExpired: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const left = useSecondsLeft(expiresAt) ?? 0;
  const fired = useRef(false);
  useEffect(() => {
    fired.current = false;
  }, [expiresAt]);
  useEffect(() => {
    if (left === 0 && !fired.current) {
      fired.current = true;
      onExpired();
    }
  }, [left, onExpired]);
  const minutes = Math.floor(left / 60);
  const seconds = left % 60;
  const clock = `${format.number(minutes)}:${format.number(seconds).padStart(2, format.number(0))}`;
  const urgent = left <= 60;
  const announce = left % 60 === 0 || left === 30 || left === 10;
  return (
    <div
      className={`alert ${urgent ? 'alert-warning' : 'alert-info alert-soft'} flex flex-col items-start gap-1`}
      data-testid="hold-countdown"
    >
      <p>
        <span className="font-semibold">{t('hold.heldFor')}</span>{' '}
        <span role="timer" className="font-mono text-lg font-bold" aria-live="off">
          {clock}
        </span>
      </p>
      <p className="text-sm">{t('hold.whenItEnds')}</p>
      <p className="sr-only" aria-live="polite">
        {announce ? t('hold.announce', { minutes: format.number(minutes), seconds: format.number(seconds) }) : ''}
      </p>
    </div>
  );
}
