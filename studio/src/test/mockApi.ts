// A fetch stand-in for component tests: answers by "METHOD /path" (query string ignored) and
// records every request with its headers and body.
import { vi } from "vitest";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

type Handler = (r: Recorded) => [number, unknown];

export function mockApi(routes: Record<string, Handler | [number, unknown]>) {
  const calls: Recorded[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://studio.test");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((init?.headers as Record<string, string>) ?? {})) headers[k.toLowerCase()] = v;
    const rec: Recorded = {
      method: (init?.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(rec);
    const route = routes[`${rec.method} ${rec.path}`];
    const [status, body] = route === undefined
      ? [404, { error: { code: "NOT_FOUND", message: `no such path: ${rec.path}`, details: null } }]
      : typeof route === "function" ? route(rec) : route;
    return new Response(typeof body === "string" ? body : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
}

export function session(role: "admin" | "developer" | "viewer", csrfToken = "csrf-123") {
  return {
    session: {
      user: { id: "u1", email: `${role}@orbit.local`, role },
      apiKey: null,
      organization: { id: "o1", name: "acme" },
      role,
      csrfToken,
      expiresAt: "2099-01-01T00:00:00.000Z",
    },
  };
}

export const graph = {
  name: "shop",
  namespace: "default",
  routingUrl: "http://127.0.0.1:4000/graphql",
  labelMatchers: ["env=prod"],
  createdAt: "2026-11-27T04:00:00.000Z",
  updatedAt: "2026-11-27T04:00:00.000Z",
  cdnPath: "acme/shop",
  latestComposition: { id: 2, status: "failed", createdAt: "2026-11-27T05:00:00.000Z", artifactVersion: null },
  servedComposition: { id: 1, artifactVersion: "c1-abcdef12", createdAt: "2026-11-27T04:30:00.000Z" },
};
