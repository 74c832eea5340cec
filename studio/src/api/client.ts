// The one way Studio talks to the control plane: same-origin fetch with the session cookie,
// JSON in and out, X-CSRF-Token on every state-changing method, ApiError on failure.
import { ApiError, apiErrorFrom } from "../lib/errors";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const TIMEOUT_MS = 30_000;

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

// Called when an authenticated call answers 401 (the session ended): the app goes to sign-in.
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  // Sign-in and the session probe answer 401 as a normal outcome; do not treat it as expiry.
  expect401?: boolean;
}

export function withQuery(path: string, query?: RequestOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}${path.includes("?") ? "&" : "?"}${s}` : path;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = (options.method ?? "GET").toUpperCase();
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (MUTATING.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "same-origin",
    signal,
  });
  const text = await response.text();
  if (!response.ok) {
    const error = apiErrorFrom(response.status, text);
    if (response.status === 401 && !options.expect401 && onUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, "INVALID_RESPONSE", "the control plane answered with something that is not JSON");
  }
}

// Paths of the API, one place. Names are [a-z0-9_-] (docs/api.md) but are escaped all the same.
const e = encodeURIComponent;
export const paths = {
  login: "/v1/auth/login",
  logout: "/v1/auth/logout",
  session: "/v1/auth/session",
  namespaces: "/v1/namespaces",
  graphs: (ns: string) => `/v1/namespaces/${e(ns)}/graphs`,
  graph: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}`,
  graphSubgraphs: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/subgraphs`,
  compositions: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/compositions`,
  composition: (ns: string, g: string, id: number | string) =>
    `/v1/namespaces/${e(ns)}/graphs/${e(g)}/compositions/${e(String(id))}`,
  graphChecks: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/checks`,
  check: (ns: string, id: string) => `/v1/namespaces/${e(ns)}/checks/${e(id)}`,
  usage: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/usage`,
  usageFields: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/usage/fields`,
  routers: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/routers`,
  tokens: (ns: string, g: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/tokens`,
  token: (ns: string, g: string, id: string) => `/v1/namespaces/${e(ns)}/graphs/${e(g)}/tokens/${e(id)}`,
  subgraphs: (ns: string) => `/v1/namespaces/${e(ns)}/subgraphs`,
  subgraph: (ns: string, s: string) => `/v1/namespaces/${e(ns)}/subgraphs/${e(s)}`,
  versions: (ns: string, s: string) => `/v1/namespaces/${e(ns)}/subgraphs/${e(s)}/versions`,
  version: (ns: string, s: string, n: number) => `/v1/namespaces/${e(ns)}/subgraphs/${e(s)}/versions/${n}`,
  changelog: (ns: string, s: string) => `/v1/namespaces/${e(ns)}/subgraphs/${e(s)}/changelog`,
  subgraphChecks: (ns: string, s: string) => `/v1/namespaces/${e(ns)}/subgraphs/${e(s)}/checks`,
  users: "/v1/users",
  user: (id: string) => `/v1/users/${e(id)}`,
  apiKeys: "/v1/api-keys",
  apiKey: (id: string) => `/v1/api-keys/${e(id)}`,
  auditLog: "/v1/audit-log",
};

// Every page of a paginated list (bounded: at most `maxPages` pages of 100).
export async function listAll<T>(path: string, maxPages = 20, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: { items: T[]; nextCursor?: string | null } = await api(path, {
      query: { limit: 100, cursor },
      signal,
    });
    items.push(...(page.items ?? []));
    cursor = page.nextCursor ?? null;
    if (!cursor) break;
  }
  return items;
}
