/**
 * What the browser keeps between page loads: the anonymous session id (it owns holds made before logging
 * in) and the login (access and refresh token). localStorage, so every tab shares one login.
 */
const SESSION_KEY = 'bo.sessionId';
const AUTH_KEY = 'bo.auth';

export interface StoredAuth {
  accessToken: string;
  /** Epoch ms when the access token stops working. */
  accessTokenExpiresAt: number;
  refreshToken: string;
}

function randomSessionId(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The anonymous session id sent as X-Session-Id (16–128 of A–Z a–z 0–9 _ -). */
export function sessionId(): string {
  let id = localStorage.getItem(SESSION_KEY);
  if (!id || !/^[A-Za-z0-9_-]{16,128}$/.test(id)) {
    id = randomSessionId();
    localStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

export function readAuth(): StoredAuth | null {
  try {
    const raw = localStorage.getItem(AUTH_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredAuth>;
    if (typeof parsed.accessToken !== 'string' || typeof parsed.refreshToken !== 'string') return null;
    return {
      accessToken: parsed.accessToken,
      refreshToken: parsed.refreshToken,
      accessTokenExpiresAt: Number(parsed.accessTokenExpiresAt) || 0,
    };
  } catch {
    return null;
  }
}

export function writeAuth(auth: StoredAuth | null): void {
  if (auth) localStorage.setItem(AUTH_KEY, JSON.stringify(auth));
  else localStorage.removeItem(AUTH_KEY);
  for (const listener of listeners) listener(auth);
}

type AuthListener = (auth: StoredAuth | null) => void;
const listeners = new Set<AuthListener>();

/** Called whenever this tab or another one logs in, refreshes or logs out. */
export function onAuthChange(listener: AuthListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

window.addEventListener('storage', (event) => {
  if (event.key === AUTH_KEY) for (const listener of listeners) listener(readAuth());
});
