import { useEffect } from 'react';

/** Sets the document title ("Monsoon Heist · Boxoffice"); pages call it once they know their subject. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Boxoffice` : 'Boxoffice';
  }, [title]);
}
