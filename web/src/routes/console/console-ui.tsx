import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsoleOrg } from './console-context';

/** ISO weekdays 1..7 as dictionary keys. */
export const WEEKDAY_KEYS = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'] as const;

/** ISO weekdays to tick, Monday first (show-time patterns, trip patterns). */
export function WeekdayPicker(props: { value: number[]; onChange: (days: number[]) => void; className?: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className={props.className ?? 'flex flex-wrap gap-3'}>
      <legend className="text-sm font-medium">{t('console.events.weekdays')}</legend>
      {WEEKDAY_KEYS.map((key, index) => {
        const day = index + 1;
        return (
          <label key={key} className="flex items-center gap-1 text-sm">
            <input
              type="checkbox"
              className="checkbox checkbox-sm"
              checked={props.value.includes(day)}
              onChange={(event) =>
                props.onChange(
                  event.target.checked ? [...props.value, day].sort() : props.value.filter((d) => d !== day),
                )
              }
            />
            {t(`console.weekday.${key}`)}
          </label>
        );
      })}
    </fieldset>
  );
}

/** Small building blocks shared by the console pages. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
      <h1 className="text-2xl font-bold">{title}</h1>
      {children ? <div className="flex flex-wrap gap-2">{children}</div> : null}
    </div>
  );
}

export function Card({ title, children, actions }: { title?: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card bg-base-100 border-base-300 mb-4 border">
      <div className="card-body gap-3 p-4">
        {title || actions ? (
          <div className="flex flex-wrap items-center justify-between gap-2">
            {title ? <h2 className="card-title text-lg">{title}</h2> : <span />}
            {actions}
          </div>
        ) : null}
        {children}
      </div>
    </section>
  );
}

/** A table that may scroll sideways on a phone: focusable, so keyboard users can scroll it too. */
export function ScrollArea({
  children,
  className,
  label,
}: {
  children: ReactNode;
  className?: string;
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <div
      className={`${className ?? 'overflow-x-auto'} focus-visible:outline-2`}
      tabIndex={0}
      role="region"
      aria-label={label ?? t('console.scrollArea')}
    >
      {children}
    </div>
  );
}

/** A labelled form control: the label is tied to the control by id, the hint by aria-describedby. */
export function Field(props: {
  label: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
  className?: string;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div className={`flex flex-col gap-1 ${props.className ?? ''}`}>
      <label htmlFor={id} className="text-sm font-medium">
        {props.label}
      </label>
      {props.children(id, hintId)}
      {props.hint ? (
        <p id={hintId} className="text-base-content/70 text-xs">
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}

const STATUS_CLASS: Record<string, string> = {
  on_sale: 'badge-success',
  scheduled: 'badge-success',
  confirmed: 'badge-success',
  draft: 'badge-ghost',
  sales_closed: 'badge-warning',
  pending_payment: 'badge-warning',
  cancelled: 'badge-error',
  expired: 'badge-ghost',
};

/** A status word with its colour; the word is always there, the colour only repeats it. */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const label = t(`console.status.${status}` as 'console.status.draft', { defaultValue: status });
  return <span className={`badge badge-sm whitespace-nowrap ${STATUS_CLASS[status] ?? 'badge-ghost'}`}>{label}</span>;
}

/** Pages that act for one organizer say so when an admin has not picked one yet. */
export function NeedsOrganizer({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { organizerId } = useConsoleOrg();
  if (organizerId) return <>{children}</>;
  return (
    <div role="status" className="alert alert-info alert-soft">
      {t('console.pickOrganizerFirst')}
    </div>
  );
}

/** A share 0..1 as a percentage in the current language. */
export function usePercent(): (value: number | null | undefined) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'bn' ? 'bn-BD' : 'en-GB';
  return (value) =>
    value === null || value === undefined
      ? '—'
      : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** Major units typed by a person ("1500.50") → minor units (150050); NaN when it is not an amount. */
export function toMinorUnits(text: string, digits: number): number {
  const trimmed = text.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return Number.NaN;
  const [whole, fraction = ''] = trimmed.split('.');
  if (fraction.length > digits) return Number.NaN;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

export function fromMinorUnits(amount: number, digits: number): string {
  if (digits === 0) return String(amount);
  return `${Math.floor(amount / 10 ** digits)}.${String(amount % 10 ** digits).padStart(digits, '0')}`;
}
