import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../shared/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function send(reply: FastifyReply, status: number, code: ErrorCode | string, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** PostgreSQL errors that a request can cause and that are the caller's fault, not ours. */
function mapDatabaseError(error: { code?: string; constraint?: string }): AppError | null {
  switch (error.code) {
    case '23505': // unique_violation
    case '23P01': // exclusion_violation
      return new AppError('resource.conflict', 'This would duplicate something that already exists', {
        constraint: error.constraint,
      });
    case '23503': // foreign_key_violation
      return new AppError('resource.in_use', 'This refers to, or is referred to by, another resource', {
        constraint: error.constraint,
      });
    case '23514': // check_violation
    case '22P02': // invalid_text_representation
    case '22003': // numeric_value_out_of_range
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
      return new AppError('request.invalid', 'A value is out of range or malformed', { constraint: error.constraint });
    case '55P03': // lock_not_available
    case '57014': // query_canceled (statement timeout)
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new AppError('service.unavailable', 'The service is busy; please retry');
    case '0A000': // feature_not_supported: a prepared statement outlived a schema change (prepared-statements.ts)
      return (error as { message?: string }).message?.includes('cached plan must not change result type')
        ? new AppError('service.unavailable', 'The service was just updated; please retry')
        : null;
    default:
      return null;
  }
}

/** One error shape for every failure: `{ error: { code, message, details? } }`; never a stack or SQL. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    send(reply, 404, 'route.not_found', `No route ${request.method} ${request.url.split('?')[0]}`),
  );

  app.setErrorHandler((rawError: FastifyError | AppError | Error, request, reply) => {
    if (rawError instanceof AppError) {
      if (rawError.kind === 'unavailable') reply.header('retry-after', '1');
      return send(reply, rawError.status, rawError.code, rawError.message, rawError.details);
    }
    const error = rawError as FastifyError & { code?: string; validation?: unknown[] };
    if (error.validation) {
      const details = (error.validation as { instancePath?: string; message?: string; params?: unknown }[]).map(
        (item) => ({
          field: `${(error as { validationContext?: string }).validationContext ?? 'body'}${item.instancePath ?? ''}`,
          message: item.message,
          params: item.params,
        }),
      );
      return send(reply, 400, 'request.invalid', 'The request is not valid', details);
    }
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, 400, 'request.malformed_json', 'The request body is not valid JSON');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, 413, 'request.too_large', 'The request body is too large');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, 415, 'request.unsupported_media_type', 'Unsupported Content-Type');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return send(reply, 400, 'request.invalid', 'Content-Length does not match the body');
    }
    if (error.statusCode === 429) {
      return send(reply, 429, 'request.rate_limited', 'Too many requests; slow down and retry later');
    }
    const mapped = mapDatabaseError(error);
    if (mapped) {
      if (mapped.kind === 'unavailable') reply.header('retry-after', '1');
      return send(reply, mapped.status, mapped.code, mapped.message, mapped.details);
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, error.statusCode, 'request.invalid', error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 500, 'internal', 'Something went wrong on our side; it has been logged');
  });
}
