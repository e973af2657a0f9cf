import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { MAX_SELECTION, useSeatSelection, type HoldTarget } from '../api/holds';
import { useLiveSeats } from '../api/live-seats';
import type { Hold, Seat, SeatMapLayout } from '../api/types';
import { useFormat } from '../i18n/format';
import { readCurrentHold, writeCurrentHold, type CurrentHold, type HeldLine } from '../lib/current-hold';
import { HoldCountdown } from './hold-countdown';
import { buildGeometry, categoryColours } from './seat-map/geometry';
import { SeatLegend } from './seat-map/legend';
import { SeatMap } from './seat-map/seat-map';
import { ErrorText } from './states';

export interface SeatPickerProps {
  target: HoldTarget;
  kind: 'venue' | 'vehicle';
  layout: SeatMapLayout;
  prices: Record<string, number>;
  currency: string;
  streamUrl: string;
  /** Reloads the seat map (when the live stream is not available, or after the hold ran out). */
  reload: () => void;
  mapLabel: string;
  /** What checkout shows about the booking. */
  summary: Pick<CurrentHold, 'title' | 'startsAt' | 'timezone' | 'place' | 'seatMapPath'>;
  /** Trips: the layout's decks or coaches are named in the seat's label already. */
  passengerNote?: string;
}

function restoredHold(target: HoldTarget): { hold: Hold } | null {
  const current = readCurrentHold();
  if (!current) return null;
  const hold = current.hold;
  const same =
    target.kind === 'event'
      ? hold.eventId === target.eventId
      : hold.tripId === target.tripId && hold.from === target.from && hold.to === target.to;
  return same ? { hold } : null;
}

/** The seat map with the buyer's selection, its hold and countdown, and the way to checkout. */
export function SeatPicker(props: SeatPickerProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const { layout, prices, currency, target, reload } = props;
  const [initial] = useState(() => restoredHold(target));
  const selection = useSeatSelection(target, initial);
  const [expiredNotice, setExpiredNotice] = useState(false);
  const [limitNotice, setLimitNotice] = useState(false);

  // Without the live stream the map is reloaded every 10 seconds instead.
  const [polling, setPolling] = useState(false);
  const live = useLiveSeats(layout, props.streamUrl, () => setPolling(true));
  useEffect(() => {
    if (!polling) return;
    const interval = window.setInterval(reload, 10_000);
    return () => window.clearInterval(interval);
  }, [polling, reload]);

  const geometry = useMemo(() => buildGeometry(layout), [layout]);
  const colours = useMemo(
    () =>
      categoryColours(
        layout.seats.map((seat) => seat.category),
        prices,
      ),
    [layout, prices],
  );
  const flags = useMemo(
    () => ({
      wheelchair: layout.seats.some((seat) => seat.flags.includes('wheelchair')),
      companion: layout.seats.some((seat) => seat.flags.includes('companion')),
      berth: layout.seats.some((seat) => seat.flags.includes('berth_lower') || seat.flags.includes('berth_upper')),
    }),
    [layout],
  );

  const gaTotal = [...selection.ga.values()].reduce((sum, quantity) => sum + quantity, 0);
  const count = selection.selected.size + gaTotal;

  const onToggle = useCallback(
    (seat: Seat) => {
      const isSelected = selection.selected.has(seat.id);
      if (!isSelected && live.statusOf(seat.id) !== 'available') return;
      if (!isSelected && count >= MAX_SELECTION) {
        setLimitNotice(true);
        return;
      }
      setLimitNotice(false);
      setExpiredNotice(false);
      selection.toggleSeat(seat.id);
    },
    [selection, live, count],
  );

  const lines: HeldLine[] = useMemo(() => {
    const seatLines = [...selection.selected].flatMap((id) => {
      const seat = geometry.seatById.get(id);
      return seat
        ? [
            {
              seatId: id,
              areaId: null,
              label: seat.label,
              category: seat.category,
              price: prices[seat.category] ?? null,
              quantity: 1,
            },
          ]
        : [];
    });
    const gaLines = layout.gaAreas.flatMap((area) => {
      const quantity = selection.ga.get(area.id) ?? 0;
      return quantity > 0
        ? [{ seatId: null, areaId: area.id, label: area.name, category: area.category, price: area.price, quantity }]
        : [];
    });
    return [...seatLines, ...gaLines];
  }, [selection.selected, selection.ga, geometry, layout.gaAreas, prices]);
  const subtotal = lines.reduce((sum, line) => sum + (line.price ?? 0) * line.quantity, 0);

  // Checkout reads the hold and its lines from here.
  const { hold } = selection;
  useEffect(() => {
    if (hold) writeCurrentHold({ hold, kind: target.kind, currency, lines, ...props.summary });
    else if (readCurrentHold() && restoredHold(target)) writeCurrentHold(null);
    // props.summary is stable per page; the hold and its lines are what change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hold, lines]);

  const onExpired = useCallback(() => {
    selection.expire();
    writeCurrentHold(null);
    setExpiredNotice(true);
    reload();
  }, [selection, reload]);

  const holdMatches =
    hold !== null &&
    !selection.syncing &&
    hold.seats.length === selection.selected.size &&
    hold.ga.reduce((sum, area) => sum + area.quantity, 0) === gaTotal;

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <div className="flex min-w-0 flex-col gap-3">
        <div className="flex items-center gap-2 text-sm" aria-live="polite">
          <span
            className={`badge ${live.connection === 'live' ? 'badge-success' : live.connection === 'offline' ? 'badge-warning' : 'badge-ghost'}`}
          >
            {live.connection === 'live'
              ? t('seatMap.live')
              : live.connection === 'offline'
                ? t('seatMap.offline')
                : t('seatMap.connecting')}
          </span>
        </div>
        <SeatMap
          geometry={geometry}
          kind={props.kind}
          prices={prices}
          currency={currency}
          colours={colours}
          statusOf={live.statusOf}
          statusVersion={live.version}
          selected={selection.selected}
          onToggle={onToggle}
          label={props.mapLabel}
        />
        <SeatLegend colours={colours} prices={prices} currency={currency} flags={flags} />
      </div>
      <aside className="flex flex-col gap-3" aria-label={t('seatPicker.yourSelection')}>
        {layout.gaAreas.length > 0 ? (
          <section className="card bg-base-100 border-base-300 border p-3" aria-labelledby="ga-heading">
            <h2 id="ga-heading" className="mb-2 font-semibold">
              {t('seatPicker.standing')}
            </h2>
            <ul className="flex flex-col gap-2">
              {layout.gaAreas.map((area) => {
                const quantity = selection.ga.get(area.id) ?? 0;
                const available = live.gaAvailable(area.id) ?? area.available;
                return (
                  <li key={area.id} className="flex items-center justify-between gap-2">
                    <div>
                      <p className="font-medium">{area.name}</p>
                      <p className="text-base-content/80 text-sm">
                        {area.price !== null ? format.money(area.price, currency) : t('seatMap.noPrice')} ·{' '}
                        {t('seatPicker.placesLeft', { count: available, n: format.number(available) })}
                      </p>
                    </div>
                    <div className="join" role="group" aria-label={t('seatPicker.quantityOf', { name: area.name })}>
                      <button
                        type="button"
                        className="btn btn-sm join-item"
                        disabled={quantity === 0}
                        onClick={() => selection.setGaQuantity(area.id, quantity - 1)}
                        aria-label={t('seatPicker.fewer', { name: area.name })}
                      >
                        −
                      </button>
                      <output
                        className="join-item bg-base-200 flex w-10 items-center justify-center"
                        aria-live="polite"
                      >
                        {format.number(quantity)}
                      </output>
                      <button
                        type="button"
                        className="btn btn-sm join-item"
                        disabled={area.price === null || quantity >= available || count >= MAX_SELECTION}
                        onClick={() => selection.setGaQuantity(area.id, quantity + 1)}
                        aria-label={t('seatPicker.more', { name: area.name })}
                      >
                        +
                      </button>
                    </div>
                  </li>
                );
              })}
            </ul>
          </section>
        ) : null}
        <section className="card bg-base-100 border-base-300 border p-3" aria-labelledby="selection-heading">
          <h2 id="selection-heading" className="mb-2 font-semibold">
            {t('seatPicker.yourSelection')}
          </h2>
          {lines.length === 0 ? (
            <p className="text-base-content/80 text-sm">{t('seatPicker.nothingYet')}</p>
          ) : (
            <ul className="mb-2 flex flex-col gap-1 text-sm" data-testid="selected-seats">
              {lines.map((line) => (
                <li key={line.seatId ?? line.areaId} className="flex items-center justify-between gap-2">
                  <span>
                    {line.quantity > 1 ? `${format.number(line.quantity)} × ` : ''}
                    {line.label} <span className="text-base-content/70">({line.category})</span>
                  </span>
                  <span className="flex items-center gap-1">
                    {line.price !== null ? format.money(line.price * line.quantity, currency) : ''}
                    {line.seatId ? (
                      <button
                        type="button"
                        className="btn btn-ghost btn-xs"
                        onClick={() => selection.toggleSeat(line.seatId!)}
                        aria-label={t('seatPicker.remove', { label: line.label })}
                      >
                        ✕
                      </button>
                    ) : null}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {lines.length > 0 ? (
            <p className="border-base-300 flex justify-between border-t pt-2 font-semibold">
              <span>{t('seatPicker.subtotal')}</span>
              <span>{format.money(subtotal, currency)}</span>
            </p>
          ) : null}
          {props.passengerNote && lines.length > 0 ? <p className="mt-2 text-sm">{props.passengerNote}</p> : null}
          <div className="mt-2 flex flex-col gap-2" aria-live="polite">
            {selection.syncing ? (
              <p className="flex items-center gap-2 text-sm">
                <span className="loading loading-spinner loading-xs" aria-hidden="true" /> {t('seatPicker.holding')}
              </p>
            ) : null}
            {limitNotice ? (
              <p className="text-warning-content bg-warning rounded p-2 text-sm">
                {t('seatPicker.limit', { n: format.number(MAX_SELECTION) })}
              </p>
            ) : null}
            {expiredNotice ? (
              <p role="alert" className="alert alert-warning text-sm">
                {t('hold.expired')}
              </p>
            ) : null}
            <ErrorText error={selection.error} />
          </div>
          {hold ? <HoldCountdown expiresAt={hold.expiresAt} onExpired={onExpired} /> : null}
          <div className="mt-3 flex flex-col gap-2">
            <button
              type="button"
              className="btn btn-primary"
              disabled={!holdMatches || lines.length === 0}
              onClick={() => void navigate('/checkout')}
            >
              {t('seatPicker.checkout')}
            </button>
            {lines.length > 0 ? (
              <button type="button" className="btn btn-ghost btn-sm" onClick={selection.clear}>
                {t('seatPicker.clear')}
              </button>
            ) : null}
          </div>
        </section>
      </aside>
    </div>
  );
}
