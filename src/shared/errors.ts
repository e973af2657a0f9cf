/**
 * One error type for the whole app. Services throw AppError with a stable code from the catalogue;
 * the HTTP layer maps the kind to a status in one place (src/http/error-handler.ts).
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported' // 415
  | 'unprocessable' // 422
  | 'rate_limited' // 429
  | 'unavailable' // 503
  | 'internal'; // 500

export const ERROR_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** The closed catalogue of error codes; clients may rely on these strings. */
export const ERROR_CODES = {
  'request.invalid': 'invalid',
  'request.malformed_json': 'invalid',
  'request.too_large': 'too_large',
  'request.unsupported_media_type': 'unsupported',
  'request.rate_limited': 'rate_limited',
  'route.not_found': 'not_found',
  'auth.required': 'unauthorized',
  'auth.token_invalid': 'unauthorized',
  'auth.forbidden': 'forbidden',
  'auth.invalid_credentials': 'unauthorized',
  'auth.refresh_token_invalid': 'unauthorized',
  'auth.current_password_invalid': 'forbidden',
  'auth.email_taken': 'conflict',
  'resource.not_found': 'not_found',
  'resource.conflict': 'conflict',
  'resource.in_use': 'conflict',
  'layout.invalid': 'invalid',
  'catalog.invalid': 'invalid',
  'venue.no_layout': 'conflict',
  'event.prices_invalid': 'invalid',
  'event.cancelled': 'conflict',
  'event.not_on_sale': 'conflict',
  'trip.not_on_sale': 'conflict',
  'inventory.seat_unknown': 'invalid',
  'inventory.seat_unavailable': 'conflict',
  'inventory.area_unknown': 'invalid',
  'inventory.area_unavailable': 'conflict',
  'inventory.segment_invalid': 'invalid',
  'inventory.too_many_seats': 'invalid',
  'hold.not_found': 'not_found',
  'hold.extension_used': 'conflict',
  'hold.max_lifetime_reached': 'conflict',
  'coupon.not_found': 'not_found',
  'coupon.expired': 'unprocessable',
  'coupon.not_applicable': 'unprocessable',
  'coupon.min_order': 'unprocessable',
  'coupon.per_user_limit': 'conflict',
  'coupon.exhausted': 'conflict',
  'coupon.code_taken': 'conflict',
  'coupon.redeemed': 'conflict',
  'refund_policy.invalid': 'invalid',
  'refund_policy.exists': 'conflict',
  'cancellation.not_allowed': 'conflict',
  'cancellation.checked_in': 'conflict',
  'cancellation.already_cancelled': 'conflict',
  'cancellation.line_unknown': 'invalid',
  'cancellation.code_required': 'invalid',
  'cancellation.code_invalid': 'unprocessable',
  'cancellation.code_expired': 'unprocessable',
  'booking.limit_exceeded': 'conflict',
  'booking.price_unavailable': 'conflict',
  'booking.passengers_invalid': 'invalid',
  'booking.hold_already_booked': 'conflict',
  'checkin.invalid': 'not_found',
  'checkin.already_used': 'conflict',
  'checkin.ticket_cancelled': 'conflict',
  'checkin.wrong_event': 'conflict',
  'checkin.wrong_trip': 'conflict',
  'checkin.wrong_segment': 'conflict',
  'payment.order_not_payable': 'conflict',
  'payment.order_expired': 'conflict',
  'payment.not_required': 'conflict',
  'payment.in_progress': 'conflict',
  'payment.not_pending': 'conflict',
  'payment.provider_rejected': 'unprocessable',
  'payment.provider_unavailable': 'unavailable',
  'payment.webhook_signature_invalid': 'invalid',
  'payment.webhook_invalid': 'invalid',
  'refund.amount_invalid': 'unprocessable',
  'refund.not_refundable': 'conflict',
  'refund.key_reused': 'unprocessable',
  'webhook.url_invalid': 'invalid',
  'notification.order_not_confirmed': 'conflict',
  'idempotency.key_invalid': 'invalid',
  'idempotency.key_reused': 'unprocessable',
  'idempotency.in_flight': 'conflict',
  'service.unavailable': 'unavailable',
  internal: 'internal',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.kind = ERROR_CODES[code];
  }

  get status(): number {
    return ERROR_STATUS[this.kind];
  }
}

export function notFound(what: string, id: string): AppError {
  return new AppError('resource.not_found', `${what} ${id} was not found`, { id });
}
