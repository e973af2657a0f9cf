import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import '@fontsource/noto-sans-bengali/400.css';
import '@fontsource/noto-sans-bengali/700.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/client';
import './i18n';
import { applyStoredTheme } from './lib/theme';
import { router } from './router';
import './styles.css';

applyStoredTheme();
// The language switch shows "বাংলা" on every page: fetch the Bangla font at once rather than at its first
// use, where a system without one would show empty boxes until it arrives.
void document.fonts?.load('400 1em "Noto Sans Bengali"', 'বাংলা').catch(() => undefined);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // A 4xx will not get better by asking again; network trouble and 5xx may.
      retry: (failures, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
