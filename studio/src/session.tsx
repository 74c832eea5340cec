// The signed-in session: loaded from GET /v1/auth/session, created by sign-in, ended by sign-out.
// Holds the CSRF token that the API client sends on every state-changing call.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, paths, setCsrfToken, setUnauthenticatedHandler } from "./api/client";
import type { Role, Session } from "./api/types";
import { ApiError } from "./lib/errors";

interface SessionContextValue {
  session: Session | null;
  loading: boolean;
  error: unknown;
  signIn: (credentials: { email: string; password: string } | { apiKey: string }) => Promise<void>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const apply = useCallback((s: Session | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    setSession(s);
  }, []);

  const refresh = useCallback(async () => {
    try {
      const answer = await api<{ session: Session }>(paths.session, { expect401: true });
      apply(answer.session);
      setError(null);
    } catch (e) {
      apply(null);
      setError(e instanceof ApiError && e.status === 401 ? null : e);
    } finally {
      setLoading(false);
    }
  }, [apply]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthenticatedHandler(() => apply(null));
    return () => setUnauthenticatedHandler(null);
  }, [apply]);

  const signIn = useCallback<SessionContextValue["signIn"]>(
    async (credentials) => {
      const answer = await api<{ session: Session }>(paths.login, { method: "POST", body: credentials, expect401: true });
      apply(answer.session);
      setError(null);
    },
    [apply],
  );

  const signOut = useCallback(async () => {
    try {
      await api(paths.logout, { method: "POST", body: {}, expect401: true });
    } finally {
      apply(null);
    }
  }, [apply]);

  const value = useMemo(() => ({ session, loading, error, signIn, signOut, refresh }), [session, loading, error, signIn, signOut, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

// What a role may do in the UI (the API enforces the same; the UI only hides what would fail).
export function can(role: Role | undefined, action: "admin" | "publish"): boolean {
  if (!role) return false;
  if (action === "admin") return role === "admin";
  return role === "admin" || role === "developer";
}

export function useRole(): Role | undefined {
  return useSession().session?.role;
}
