import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Order, Ticket } from '../api/types';
import { useFormat } from '../i18n/format';

function QrImage({ code, label }: { code: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(code, { margin: 1, width: 180, errorCorrectionLevel: 'M' })
      .then((url) => alive && setSrc(url))
      .catch(() => alive && setSrc(null));
    return () => {
      alive = false;
    };
  }, [code]);
  return src ? (
    <img src={src} width={150} height={150} alt={label} className="rounded bg-white p-1" />
  ) : (
    <div className="skeleton h-[150px] w-[150px]" />
  );
}

/** The tickets of an order with their QR codes; printable (the page's print styles hide the rest). */
export function TicketList({ order, tickets }: { order: Order; tickets: Ticket[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <ul className="grid gap-4 sm:grid-cols-2" data-testid="tickets">
      {tickets.map((ticket) => (
        <li
          key={ticket.id}
          className={`ticket-card card bg-base-100 border-base-300 border ${ticket.status === 'cancelled' ? 'opacity-70' : ''}`}
        >
          <div className="card-body flex-row gap-4 p-4">
            <QrImage code={ticket.code} label={t('tickets.qrOf', { label: ticket.label })} />
            <div className="flex min-w-0 flex-col gap-1 text-sm">
              <p className="text-base font-semibold">{ticket.title}</p>
              <p>
                {format.date(ticket.startsAt, order.timezone, 'dateLong')},{' '}
                {format.date(ticket.startsAt, order.timezone, 'time')}
              </p>
              <p>{order.place}</p>
              <p className="font-medium">{ticket.label}</p>
              {ticket.passengerName ? <p>{t('tickets.passenger', { name: ticket.passengerName })}</p> : null}
              <p className="font-mono text-xs break-all">{ticket.code}</p>
              <p>
                <span className={`badge ${ticket.status === 'valid' ? 'badge-success' : 'badge-error'}`}>
                  {t(`tickets.status.${ticket.status}`)}
                </span>
                {ticket.checkedInAt ? <span className="badge badge-ghost ml-1">{t('tickets.used')}</span> : null}
              </p>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
