import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { api, storeSession } from './client';
import { onAuthChange, readAuth, writeAuth } from './session';
import type { Account, Session } from './types';

function subscribe(listener: () => void): () => void {
  return onAuthChange(() => listener());
}

/** True while this browser holds a login (it may still turn out to be expired). */
export function useLoggedIn(): boolean {
  return useSyncExternalStore(subscribe, () => readAuth() !== null);
}

/** The logged-in account, or null. */
export function useAccount() {
  const loggedIn = useLoggedIn();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['me'],
    queryFn: () => api<Account>('/api/me'),
    enabled: loggedIn,
    staleTime: 5 * 60_000,
  });
  // Logging out (here or in another tab) forgets everything that belonged to the account.
  useEffect(() => {
    if (!loggedIn) {
      queryClient.removeQueries({ queryKey: ['me'] });
      queryClient.removeQueries({ queryKey: ['bookings'] });
    }
  }, [loggedIn, queryClient]);
  return { account: loggedIn ? (query.data ?? null) : null, loading: loggedIn && query.isPending, loggedIn };
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<Session>('/api/auth/login', { method: 'POST', body: input, auth: false }),
    onSuccess: (session) => {
      storeSession(session);
      queryClient.setQueryData(['me'], session.user);
    },
  });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string; name: string; language: 'en' | 'bn' }) =>
      api<Session>('/api/auth/register', { method: 'POST', body: input, auth: false }),
    onSuccess: (session) => {
      storeSession(session);
      queryClient.setQueryData(['me'], session.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const auth = readAuth();
      // Revoking is best effort: the login is forgotten here whatever the server says.
      if (auth) {
        await api('/api/auth/logout', { method: 'POST', body: { refreshToken: auth.refreshToken }, auth: false }).catch(
          () => undefined,
        );
      }
    },
    onSettled: () => {
      writeAuth(null);
      queryClient.removeQueries({ queryKey: ['me'] });
      queryClient.removeQueries({ queryKey: ['bookings'] });
    },
  });
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: {
      name?: string;
      language?: 'en' | 'bn';
      phone?: string | null;
      notifyEmail?: boolean;
      notifySms?: boolean;
    }) => api<Account>('/api/me', { method: 'PATCH', body: input }),
    onSuccess: (account) => queryClient.setQueryData(['me'], account),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api<Session>('/api/me/password', { method: 'POST', body: input }),
    onSuccess: (session) => storeSession(session),
  });
}
