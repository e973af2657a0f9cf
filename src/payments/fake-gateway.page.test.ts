import { describe, expect, it } from 'vitest';
import { escapeHtml, formatAmount, renderChargePage, renderReturnPage } from './fake-gateway.page.js';

describe('fake gateway pages', () => {
  it('escapes every value that reaches the HTML', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe(
      '&lt;img src&#61;x onerror&#61;&quot;alert(&#39;1&#39;)&quot;&gt;&amp;',
    );
    const html = renderChargePage({
      chargeId: 'fpi_abc',
      description: '<script>alert(1)</script>',
      amount: 125_000,
      currency: 'BDT',
      status: 'failed',
      failureReason: '"><b>x</b>',
      returnUrl: null,
    });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;&#47;script&gt;');
    expect(html).toContain('value="pay"');
  });

  it('shows amounts in the currency’s own unit from minor units', () => {
    expect(formatAmount(125_000, 'BDT')).toBe('BDT\u00a01,250.00');
    expect(formatAmount(5_000, 'JPY')).toBe('JPY\u00a05,000');
    expect(formatAmount(12, 'XXQ')).toMatch(/12/);
  });

  it('a paid charge shows no buttons; the return page refreshes until the order is settled', () => {
    const paid = renderChargePage({
      chargeId: 'fpi_abc',
      description: 'Order',
      amount: 100,
      currency: 'USD',
      status: 'succeeded',
      failureReason: null,
      returnUrl: 'https://x.test/pay/return/pay_1',
    });
    expect(paid).not.toContain('<form');
    const base = { orderCode: 'BX1', amount: 100, currency: 'USD', cancelled: false };
    expect(renderReturnPage({ ...base, orderStatus: 'pending_payment', paymentStatus: 'pending' })).toContain(
      'http-equiv="refresh"',
    );
    const confirmed = renderReturnPage({ ...base, orderStatus: 'confirmed', paymentStatus: 'succeeded' });
    expect(confirmed).toContain('Your booking is confirmed.');
    expect(confirmed).not.toContain('http-equiv="refresh"');
  });
});
