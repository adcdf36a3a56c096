// Who is signed in. The session itself is an HttpOnly cookie the page cannot read; the page keeps only
// the user and the CSRF token that GET/POST /api/console/session hand out.
import type { ConsoleUser, SessionInfo } from '@pushline/contracts';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, setCsrfToken, setUnauthorizedHandler } from './api';

interface AuthState {
  user: ConsoleUser | undefined;
  loading: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<ConsoleUser>();
  const [loading, setLoading] = useState(true);

  const accept = useCallback((session: SessionInfo | undefined) => {
    setCsrfToken(session?.csrfToken);
    setUser(session?.user);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => accept(undefined));
    // `optional=1`: signed out answers {user: null} rather than 401 (no failed request on the sign-in page).
    api<SessionInfo | { user: null }>('GET', '/session?optional=1')
      .then((s) => accept(s.user ? (s as SessionInfo) : undefined))
      .catch((err: unknown) => {
        if (!(err instanceof ApiError && err.status === 401)) console.error(err);
        accept(undefined);
      })
      .finally(() => setLoading(false));
    return () => setUnauthorizedHandler(undefined);
  }, [accept]);

  const value = useMemo<AuthState>(
    () => ({
      user,
      loading,
      async signIn(username, password) {
        accept(await api<SessionInfo>('POST', '/session', { username, password }));
      },
      async signOut() {
        try {
          await api('DELETE', '/session');
        } finally {
          accept(undefined);
        }
      },
    }),
    [user, loading, accept],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}
