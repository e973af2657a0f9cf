import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useAccount } from '../../api/auth';
import { useCancelOrder, useCreateBooking, useOrder, useStartPayment } from '../../api/bookings';
import { ApiError, newIdempotencyKey } from '../../api/client';
import type { Passenger } from '../../api/types';
import { HoldCountdown } from '../../components/hold-countdown';
import { PriceBreakdown } from '../../components/price-breakdown';
import { EmptyState, ErrorState, ErrorText, Loading, useErrorMessage } from '../../components/states';
import { useFormat } from '../../i18n/format';
import { readCurrentHold, writeCurrentHold, type CurrentHold } from '../../lib/current-hold';
import { usePageTitle } from '../../lib/page-title';

const PENDING_ORDER_KEY = 'bo.pendingOrder';

/** The order made from a hold, so a reload of checkout goes on with it instead of booking twice. */
function pendingOrderFor(holdToken: string): string | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(PENDING_ORDER_KEY) ?? 'null') as {
      holdToken: string;
      orderId: string;
    } | null;
    return value && value.holdToken === holdToken ? value.orderId : null;
  } catch {
    return null;
  }
}

function Summary({ current }: { current: CurrentHold }) {
  const format = useFormat();
  return (
    <div className="bg-base-200 rounded-box p-3">
      <p className="font-semibold">{current.title}</p>
      <p className="text-sm">
        {format.date(current.startsAt, current.timezone, 'dateLong')},{' '}
        {format.date(current.startsAt, current.timezone, 'time')} · {current.place}
      </p>
    </div>
  );
}

function DetailsStep({ current, onBooked }: { current: CurrentHold; onBooked: (orderId: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const message = useErrorMessage();
  const booking = useCreateBooking();
  const [key] = useState(newIdempotencyKey);
  const [coupon, setCoupon] = useState('');
  const seatLines = current.lines.filter((line) => line.seatId !== null);
  const [passengers, setPassengers] = useState<Record<string, { name: string; age: string }>>({});
  const [showErrors, setShowErrors] = useState(false);
  const isTrip = current.kind === 'trip';
  const missing = isTrip ? seatLines.filter((line) => !passengers[line.seatId!]?.name.trim()) : [];
  const couponError =
    booking.error instanceof ApiError && booking.error.code.startsWith('coupon.') ? booking.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (missing.length > 0) {
      setShowErrors(true);
      document.getElementById(`passenger-${missing[0]!.seatId}`)?.focus();
      return;
    }
    const list: Passenger[] = isTrip
      ? seatLines.map((line) => {
          const entry = passengers[line.seatId!]!;
          const age = Number(entry.age);
          return {
            seatId: line.seatId!,
            name: entry.name.trim(),
            ...(entry.age && Number.isInteger(age) ? { age } : {}),
          };
        })
      : [];
    booking.mutate(
      { holdToken: current.hold.token, passengers: list, couponCode: coupon.trim() || undefined, idempotencyKey: key },
      { onSuccess: (order) => onBooked(order.id) },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-labelledby="details-heading">
      <h2 id="details-heading" className="text-lg font-semibold">
        {isTrip ? t('checkout.passengers') : t('checkout.yourSeats')}
      </h2>
      <ul className="flex flex-col gap-3">
        {current.lines.map((line) => (
          <li key={line.seatId ?? line.areaId} className="card bg-base-100 border-base-300 border p-3">
            <p className="flex justify-between gap-2">
              <span>
                {line.quantity > 1 ? `${format.number(line.quantity)} × ` : ''}
                {line.label} <span className="text-base-content/70">({line.category})</span>
              </span>
              <span>{line.price !== null ? format.money(line.price * line.quantity, current.currency) : ''}</span>
            </p>
            {isTrip && line.seatId ? (
              <div className="mt-2 grid gap-2 sm:grid-cols-[1fr_7rem]">
                <label className="flex flex-col gap-1">
                  <span className="text-sm font-medium">{t('checkout.passengerName')}</span>
                  <input
                    id={`passenger-${line.seatId}`}
                    className={`input input-bordered w-full ${showErrors && !passengers[line.seatId]?.name.trim() ? 'input-error' : ''}`}
                    autoComplete="name"
                    required
                    maxLength={100}
                    aria-invalid={showErrors && !passengers[line.seatId]?.name.trim()}
                    aria-describedby={`passenger-${line.seatId}-error`}
                    value={passengers[line.seatId]?.name ?? ''}
                    onChange={(event) =>
                      setPassengers({
                        ...passengers,
                        [line.seatId!]: { age: passengers[line.seatId!]?.age ?? '', name: event.target.value },
                      })
                    }
                  />
                  <span id={`passenger-${line.seatId}-error`} className="text-error text-sm" aria-live="polite">
                    {showErrors && !passengers[line.seatId]?.name.trim() ? t('checkout.nameRequired') : ''}
                  </span>
                </label>
                <label className="flex flex-col gap-1">
                  <span className="text-sm font-medium">
                    {t('checkout.age')} <span className="text-base-content/70">({t('common.optional')})</span>
                  </span>
                  <input
                    className="input input-bordered w-full"
                    inputMode="numeric"
                    type="number"
                    min={0}
                    max={130}
                    value={passengers[line.seatId]?.age ?? ''}
                    onChange={(event) =>
                      setPassengers({
                        ...passengers,
                        [line.seatId!]: { name: passengers[line.seatId!]?.name ?? '', age: event.target.value },
                      })
                    }
                  />
                </label>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <label className="flex max-w-sm flex-col gap-1">
        <span className="text-sm font-medium">
          {t('checkout.coupon')} <span className="text-base-content/70">({t('common.optional')})</span>
        </span>
        <input
          className={`input input-bordered ${couponError ? 'input-error' : ''}`}
          name="coupon"
          autoComplete="off"
          maxLength={64}
          value={coupon}
          aria-invalid={couponError !== null}
          aria-describedby="coupon-error"
          onChange={(event) => setCoupon(event.target.value.toUpperCase())}
        />
        <span id="coupon-error" className="text-error text-sm" role={couponError ? 'alert' : undefined}>
          {couponError ? message(couponError) : ''}
        </span>
      </label>
      {booking.error && !couponError ? <ErrorText error={booking.error} /> : null}
      <div>
        <button type="submit" className="btn btn-primary" disabled={booking.isPending}>
          {booking.isPending ? t('checkout.booking') : t('checkout.review')}
        </button>
      </div>
    </form>
  );
}

function ReviewStep({
  orderId,
  current,
  onStartOver,
}: {
  orderId: string;
  current: CurrentHold;
  onStartOver: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const order = useOrder(orderId);
  const pay = useStartPayment();
  const cancel = useCancelOrder(orderId);
  useEffect(() => {
    if (order.data && order.data.status === 'confirmed')
      void navigate(`/orders/${orderId}/confirmation`, { replace: true });
  }, [order.data, orderId, navigate]);
  if (order.isPending) return <Loading />;
  if (order.isError) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  if (o.status !== 'pending_payment') {
    return (
      <EmptyState title={t('checkout.orderClosed')}>
        {
          <Link className="btn btn-sm" to={current.seatMapPath}>
            {t('checkout.chooseAgain')}
          </Link>
        }
      </EmptyState>
    );
  }
  return (
    <section aria-labelledby="review-heading" className="flex flex-col gap-4">
      <h2 id="review-heading" className="text-lg font-semibold">
        {t('checkout.reviewHeading')}
      </h2>
      <p className="text-sm">{t('checkout.bookingCode', { code: o.code })}</p>
      <PriceBreakdown order={o} />
      <HoldCountdown expiresAt={o.expiresAt} onExpired={() => void order.refetch()} />
      <ErrorText error={pay.error ?? cancel.error} />
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className="btn btn-primary btn-lg"
          disabled={pay.isPending || pay.isSuccess}
          onClick={() => pay.mutate(o.id)}
        >
          {pay.isPending || pay.isSuccess
            ? t('checkout.openingPayment')
            : t('checkout.pay', { total: format.money(o.total, o.currency) })}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          disabled={cancel.isPending}
          onClick={() =>
            cancel.mutate(
              {},
              {
                onSuccess: () => {
                  onStartOver();
                  void navigate(current.seatMapPath);
                },
              },
            )
          }
        >
          {t('checkout.startOver')}
        </button>
      </div>
      <p className="text-base-content/80 text-sm">{t('checkout.payNote')}</p>
    </section>
  );
}

/** Checkout: passengers (trips) and coupon, then the server's price breakdown, then the payment page. */
export function CheckoutPage() {
  const { t } = useTranslation();
  usePageTitle(t('checkout.pageTitle'));
  const { loggedIn, loading } = useAccount();
  const [current, setCurrent] = useState<CurrentHold | null>(readCurrentHold);
  const [orderId, setOrderId] = useState<string | null>(() => (current ? pendingOrderFor(current.hold.token) : null));
  const next = useMemo(() => encodeURIComponent('/checkout'), []);

  if (!current) {
    return (
      <div className="mx-auto max-w-2xl">
        <h1 className="mb-4 text-2xl font-bold">{t('checkout.heading')}</h1>
        <EmptyState title={t('checkout.noHold')}>
          <Link to="/" className="btn btn-sm btn-primary">
            {t('checkout.findTickets')}
          </Link>
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="mx-auto flex max-w-2xl flex-col gap-4">
      <h1 className="text-2xl font-bold">{t('checkout.heading')}</h1>
      <ol className="steps steps-horizontal w-full text-sm" aria-label={t('checkout.progress')}>
        <li className="step step-primary">{t('checkout.stepSeats')}</li>
        <li className={`step ${orderId ? 'step-primary' : ''}`} aria-current={!orderId ? 'step' : undefined}>
          {t('checkout.stepDetails')}
        </li>
        <li className={`step ${orderId ? 'step-primary' : ''}`} aria-current={orderId ? 'step' : undefined}>
          {t('checkout.stepPay')}
        </li>
      </ol>
      <Summary current={current} />
      {!orderId ? <HoldCountdown expiresAt={current.hold.expiresAt} onExpired={() => setCurrent(null)} /> : null}
      {loading ? (
        <Loading />
      ) : !loggedIn ? (
        <div className="card bg-base-100 border-base-300 border p-4">
          <p className="mb-3">{t('checkout.loginFirst')}</p>
          <div className="flex flex-wrap gap-2">
            <Link className="btn btn-primary" to={`/login?next=${next}`}>
              {t('nav.login')}
            </Link>
            <Link className="btn" to={`/signup?next=${next}`}>
              {t('nav.signup')}
            </Link>
          </div>
        </div>
      ) : orderId ? (
        <ReviewStep
          orderId={orderId}
          current={current}
          onStartOver={() => {
            sessionStorage.removeItem(PENDING_ORDER_KEY);
            writeCurrentHold(null);
          }}
        />
      ) : (
        <DetailsStep
          current={current}
          onBooked={(id) => {
            sessionStorage.setItem(PENDING_ORDER_KEY, JSON.stringify({ holdToken: current.hold.token, orderId: id }));
            setOrderId(id);
          }}
        />
      )}
    </div>
  );
}
