import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, NETWORK_ERROR } from '../api/client';
import { errorsBn, errorsEn, type ClientErrorCode } from '../i18n/errors';

/** The friendly message for an error in the current language (the API's code, never its English text). */
export function useErrorMessage(): (error: unknown) => string {
  const { i18n } = useTranslation();
  const messages = i18n.language === 'bn' ? errorsBn : errorsEn;
  return (error: unknown) => {
    const code: ClientErrorCode =
      error instanceof ApiError && error.code in messages
        ? (error.code as ClientErrorCode)
        : error instanceof ApiError && error.status >= 500
          ? 'internal'
          : NETWORK_ERROR;
    return messages[code];
  };
}

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="flex items-center justify-center gap-3 py-12" role="status" aria-live="polite">
      <span className="loading loading-spinner loading-md text-primary" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  return (
    <div
      role="alert"
      className="alert alert-error alert-soft my-6 flex flex-col items-start gap-2 sm:flex-row sm:items-center"
    >
      <div className="flex-1">
        {title ? <p className="font-semibold">{title}</p> : null}
        <p>{message(error)}</p>
      </div>
      {onRetry ? (
        <button type="button" className="btn btn-sm" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

/** An inline error next to a form or an action. */
export function ErrorText({ error }: { error: unknown }) {
  const message = useErrorMessage();
  if (!error) return null;
  return (
    <p role="alert" className="text-error text-sm font-medium">
      {message(error)}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="bg-base-200 rounded-box my-6 px-6 py-10 text-center">
      <p className="text-lg font-semibold">{title}</p>
      {children ? <div className="mt-2">{children}</div> : null}
    </div>
  );
}
