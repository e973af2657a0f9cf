import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { BROWSER_ZONE, todayIn } from '../i18n/format';
import { StopPicker, type ChosenStop } from './stop-picker';

/** Search for events by keyword, city and date: lands on the event listing with those filters. */
export function EventSearchForm(props: { initial?: { q?: string; city?: string; date?: string }; cities?: string[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState(props.initial?.q ?? '');
  const [city, setCity] = useState(props.initial?.city ?? '');
  const [date, setDate] = useState(props.initial?.date ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    if (city.trim()) params.set('city', city.trim());
    if (date) params.set('date', date);
    void navigate(`/events${params.size ? `?${params}` : ''}`);
  };
  return (
    <form
      role="search"
      aria-label={t('search.eventsLabel')}
      onSubmit={submit}
      className="grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto]"
    >
      <label className="floating-label">
        <span>{t('search.keyword')}</span>
        <input
          className="input input-bordered w-full"
          name="q"
          type="search"
          placeholder={t('search.keywordPlaceholder')}
          value={q}
          onChange={(event) => setQ(event.target.value)}
          maxLength={100}
        />
      </label>
      <label className="floating-label">
        <span>{t('search.city')}</span>
        <input
          className="input input-bordered w-full"
          name="city"
          placeholder={t('search.city')}
          list="event-cities"
          value={city}
          onChange={(event) => setCity(event.target.value)}
          maxLength={100}
        />
        {props.cities ? (
          <datalist id="event-cities">
            {props.cities.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        ) : null}
      </label>
      <label className="floating-label">
        <span>{t('search.date')}</span>
        <input
          className="input input-bordered w-full"
          name="date"
          type="date"
          value={date}
          min={todayIn(BROWSER_ZONE)}
          onChange={(event) => setDate(event.target.value)}
        />
      </label>
      <button type="submit" className="btn btn-primary">
        {t('search.findEvents')}
      </button>
    </form>
  );
}

/** Search for trips from one stop to another on a date: lands on the trip results. */
export function TripSearchForm(props: {
  initial?: { from?: ChosenStop | null; to?: ChosenStop | null; date?: string };
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [from, setFrom] = useState<ChosenStop | null>(props.initial?.from ?? null);
  const [to, setTo] = useState<ChosenStop | null>(props.initial?.to ?? null);
  const [date, setDate] = useState(props.initial?.date ?? todayIn(BROWSER_ZONE));
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to || !date) {
      setMissing(true);
      return;
    }
    setMissing(false);
    void navigate(`/trips?${new URLSearchParams({ from: from.id, to: to.id, date })}`);
  };
  return (
    <form role="search" aria-label={t('search.tripsLabel')} onSubmit={submit} noValidate>
      <div className="grid items-start gap-3 sm:grid-cols-[1fr_auto_1fr_1fr_auto]">
        <StopPicker
          name="from"
          label={t('search.from')}
          value={from}
          onChange={setFrom}
          organizerId={to?.organizerId}
        />
        <button
          type="button"
          className="btn btn-ghost btn-square justify-self-center"
          aria-label={t('search.swap')}
          title={t('search.swap')}
          onClick={() => {
            setFrom(to);
            setTo(from);
          }}
        >
          <span aria-hidden="true">⇄</span>
        </button>
        <StopPicker name="to" label={t('search.to')} value={to} onChange={setTo} organizerId={from?.organizerId} />
        <label className="floating-label">
          <span>{t('search.travelDate')}</span>
          <input
            className="input input-bordered w-full"
            name="date"
            type="date"
            required
            value={date}
            min={todayIn(BROWSER_ZONE)}
            onChange={(event) => setDate(event.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary">
          {t('search.findTrips')}
        </button>
      </div>
      {missing ? (
        <p role="alert" className="text-error mt-2 text-sm font-medium">
          {t('search.tripsMissing')}
        </p>
      ) : null}
    </form>
  );
}
