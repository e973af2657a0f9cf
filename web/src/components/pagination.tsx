import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';

export function Pagination(props: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={t('common.pagination')} className="mt-6 flex items-center justify-center gap-2">
      <button
        type="button"
        className="btn btn-sm"
        disabled={props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}
      >
        {t('common.previous')}
      </button>
      <span aria-live="polite">
        {t('common.pageOf', { page: format.number(props.page), pages: format.number(pages) })}
      </span>
      <button
        type="button"
        className="btn btn-sm"
        disabled={props.page >= pages}
        onClick={() => props.onPage(props.page + 1)}
      >
        {t('common.next')}
      </button>
    </nav>
  );
}
