/**
 * The small, self-contained HTML pages of the fake gateway and of the return page. Every value is escaped;
 * no script, no outside resource (the CSP allows only this origin and inline styles).
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(
    /[&<>"'`=/]/g,
    (char) =>
      ({
        '&': '&amp;',
        '<': '&lt;',
        '>': '&gt;',
        '"': '&quot;',
        "'": '&#39;',
        '`': '&#96;',
        '=': '&#61;',
        '/': '&#47;',
      })[char]!,
  );
}

/** An amount in minor units as the currency writes it, e.g. 125000 BDT → "BDT 1,250.00". */
export function formatAmount(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'code' }).format(
      amount /
        10 **
          (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2),
    );
  } catch {
    return `${currency} ${amount}`;
  }
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f4f5;margin:0;padding:2rem;color:#18181b}
main{max-width:26rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:1.5rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.1rem;margin:0 0 .25rem}.note{color:#71717a;font-size:.85rem;margin:0 0 1.25rem}
.amount{font-size:2rem;font-weight:700;margin:.5rem 0 1rem}.status{font-weight:600}
form{display:flex;gap:.5rem;flex-wrap:wrap}button{flex:1;padding:.7rem;border:0;border-radius:.5rem;font-size:1rem;cursor:pointer}
.pay{background:#16a34a;color:#fff}.decline{background:#e4e4e7}.fail{background:#fecaca}`;

function page(title: string, body: string, options: { refreshSeconds?: number } = {}): string {
  const refresh =
    options.refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${options.refreshSeconds}">`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export interface ChargePageModel {
  chargeId: string;
  description: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  failureReason: string | null;
  returnUrl: string | null;
}

/** The hosted pay page: the amount and three buttons (a paid charge shows its result instead). */
export function renderChargePage(charge: ChargePageModel): string {
  const amount = formatAmount(charge.amount, charge.currency);
  const action = `/pay/${encodeURIComponent(charge.chargeId)}`;
  const header = `<h1>Boxoffice test gateway</h1><p class="note">A built-in fake payment provider: no real money moves.</p>
<p>${escapeHtml(charge.description)}</p><p class="amount">${escapeHtml(amount)}</p>`;
  if (charge.status === 'succeeded') {
    const back = charge.returnUrl ? `<p><a href="${escapeHtml(charge.returnUrl)}">Back to Boxoffice</a></p>` : '';
    return page(`Paid ${amount}`, `${header}<p class="status">Paid.</p>${back}`);
  }
  const failed =
    charge.status === 'failed'
      ? `<p class="status">The last attempt failed (${escapeHtml(charge.failureReason ?? 'failed')}). You may try again.</p>`
      : '';
  return page(
    `Pay ${amount}`,
    `${header}${failed}<form method="post" action="${escapeHtml(action)}">
<button class="pay" name="action" value="pay">Pay</button>
<button class="decline" name="action" value="decline">Decline</button>
<button class="fail" name="action" value="fail">Fail</button></form>`,
  );
}

export function renderNotFoundPage(): string {
  return page('Payment not found', '<h1>Payment not found</h1><p>This payment link is not valid.</p>');
}

export interface ReturnPageModel {
  orderCode: string;
  orderStatus: string;
  paymentStatus: string;
  amount: number;
  currency: string;
  cancelled: boolean;
}

/** Where the buyer lands after paying (or giving up); refreshes itself until the webhook has been handled. */
export function renderReturnPage(model: ReturnPageModel): string {
  const amount = formatAmount(model.amount, model.currency);
  const waiting = model.paymentStatus === 'pending' && !model.cancelled;
  const headline =
    model.orderStatus === 'confirmed'
      ? 'Your booking is confirmed.'
      : model.paymentStatus === 'refunded'
        ? 'Your payment was refunded in full: the order could not be confirmed.'
        : model.paymentStatus === 'failed'
          ? 'The payment did not go through.'
          : model.cancelled
            ? 'You left the payment page; nothing was charged.'
            : model.paymentStatus === 'succeeded'
              ? 'Payment received; confirming your booking…'
              : 'Waiting for the payment…';
  return page(
    'Boxoffice payment',
    `<h1>Order ${escapeHtml(model.orderCode)}</h1><p class="amount">${escapeHtml(amount)}</p>
<p class="status">${escapeHtml(headline)}</p>
<p class="note">Order: ${escapeHtml(model.orderStatus)} · payment: ${escapeHtml(model.paymentStatus)}</p>`,
    waiting || (model.paymentStatus === 'succeeded' && model.orderStatus !== 'confirmed') ? { refreshSeconds: 2 } : {},
  );
}
