import { readAuth, sessionId, writeAuth, type StoredAuth } from './session';

/** An answer of the API other than 2xx, with its stable error code (see the README's table). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The network failed or the server answered something that is not our JSON. */
export const NETWORK_ERROR = 'client.network';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Send the access token when logged in (default true). */
  auth?: boolean;
  /** Retry-safe key for POSTs that create or change money or seats. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface SessionAnswer {
  accessToken: string;
  accessTokenExpiresIn: number;
  refreshToken: string;
}

export function storeSession(answer: SessionAnswer): void {
  writeAuth({
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    accessTokenExpiresAt: Date.now() + answer.accessTokenExpiresIn * 1000,
  });
}

let refreshing: Promise<StoredAuth | null> | null = null;

/**
 * Exchanges the refresh token for a new pair. Refresh tokens work once, so tabs take turns (Web Locks)
 * and a tab that waited uses the pair another tab just stored instead of spending the old token again.
 */
async function refreshAuth(used: StoredAuth): Promise<StoredAuth | null> {
  const run = async (): Promise<StoredAuth | null> => {
    const current = readAuth();
    if (!current) return null;
    if (current.refreshToken !== used.refreshToken) return current;
    const response = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => null);
    if (!response) return current; // offline: keep the login, the request fails on its own
    if (!response.ok) {
      writeAuth(null);
      return null;
    }
    storeSession((await response.json()) as SessionAnswer);
    return readAuth();
  };
  if (!refreshing) {
    const locked: Promise<StoredAuth | null> = navigator.locks
      ? navigator.locks.request('bo-auth-refresh', run).then((auth) => auth)
      : run();
    refreshing = locked.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function validAuth(): Promise<StoredAuth | null> {
  const auth = readAuth();
  if (!auth) return null;
  // Refresh a little before the expiry, so a request does not fail on its way.
  if (auth.accessTokenExpiresAt - Date.now() < 30_000) return refreshAuth(auth);
  return auth;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) {
      return new ApiError(response.status, body.error.code, body.error.message ?? '', body.error.details);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, response.status >= 500 ? 'internal' : NETWORK_ERROR, response.statusText);
}

/** Calls the JSON API. Throws ApiError for every non-2xx answer; answers undefined for 204. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const send = async (auth: StoredAuth | null): Promise<Response> => {
    const headers: Record<string, string> = { accept: 'application/json', 'x-session-id': sessionId() };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${auth.accessToken}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    try {
      return await fetch(path, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, NETWORK_ERROR, (error as Error).message);
    }
  };
  const useAuth = options.auth !== false;
  let auth = useAuth ? await validAuth() : null;
  let response = await send(auth);
  if (response.status === 401 && auth) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as { error?: { code?: string } } | null;
    if (body?.error?.code === 'auth.token_invalid') {
      auth = await refreshAuth(auth);
      response = await send(auth);
    }
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Downloads a file the API makes (a CSV report) with the login, as the browser's own download would. */
export async function apiDownload(path: string): Promise<{ blob: Blob; filename: string }> {
  const auth = await validAuth();
  let response: Response;
  try {
    response = await fetch(path, { headers: auth ? { authorization: `Bearer ${auth.accessToken}` } : {} });
  } catch (error) {
    throw new ApiError(0, NETWORK_ERROR, (error as Error).message);
  }
  if (!response.ok) throw await toApiError(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
  return { blob: await response.blob(), filename };
}

/** A fresh Idempotency-Key for one user action (kept across its retries). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
