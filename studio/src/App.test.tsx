import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router-dom";
import { AppRoutes } from "./App";
import { SessionProvider } from "./session";
import { graph, mockApi, session } from "./test/mockApi";

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </MemoryRouter>,
  );
}

const unauthenticated = [401, { error: { code: "UNAUTHENTICATED", message: "no session", details: null } }] as [number, unknown];

describe("sign-in", () => {
  it("sends to sign-in without a session, signs in with email and password, and returns", async () => {
    const api = mockApi({
      "GET /v1/auth/session": unauthenticated,
      "POST /v1/auth/login": (r) =>
        (r.body as { password?: string }).password === "correct horse battery"
          ? [200, session("admin")]
          : [401, { error: { code: "UNAUTHENTICATED", message: "wrong email or password", details: null } }],
      "GET /v1/namespaces": [200, { items: [], nextCursor: null }],
    });
    renderAt("/graphs");
    const email = await screen.findByLabelText("Email");
    fireEvent.change(email, { target: { value: "admin@orbit.local" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "nope" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong email or password");
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "correct horse battery" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("No federated graph yet")).toBeTruthy();
    const login = api.calls.filter((c) => c.path === "/v1/auth/login");
    expect(login[1].body).toEqual({ email: "admin@orbit.local", password: "correct horse battery" });
  });

  it("signs in with an API key", async () => {
    const api = mockApi({
      "GET /v1/auth/session": unauthenticated,
      "POST /v1/auth/login": [200, session("developer")],
      "GET /v1/namespaces": [200, { items: [], nextCursor: null }],
    });
    renderAt("/signin");
    fireEvent.click(await screen.findByRole("tab", { name: "API key" }));
    fireEvent.change(screen.getByLabelText("API key"), { target: { value: " orbit_0123456789abcdef_secret " } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await screen.findByText("No federated graph yet");
    expect(api.calls.find((c) => c.path === "/v1/auth/login")?.body).toEqual({ apiKey: "orbit_0123456789abcdef_secret" });
  });
});

function graphsApi(role: "admin" | "viewer") {
  return mockApi({
    "GET /v1/auth/session": [200, session(role)],
    "GET /v1/namespaces": [200, { items: [{ name: "default", createdAt: "2026-11-27T04:00:00.000Z" }], nextCursor: null }],
    "GET /v1/namespaces/default/graphs": [200, { items: [graph], nextCursor: null }],
    "GET /v1/namespaces/default/graphs/shop/subgraphs": [200, { items: [{ name: "a" }, { name: "b" }, { name: "c" }] }],
    "GET /v1/namespaces/default/graphs/shop/usage": [
      200,
      {
        from: "x",
        to: "y",
        step: 300,
        series: [1, 5, 3].map((n, i) => ({ time: `2026-11-27T0${i}:00:00.000Z`, requests: n, errors: 0, p50Ms: 1, p95Ms: 2, p99Ms: 3 })),
        totals: { requests: 3600, errors: 0, p50Ms: 1, p95Ms: 2, p99Ms: 3 },
        operations: [],
        clients: [],
      },
    ],
    "POST /v1/namespaces/default/graphs": (r) => [201, { graph: { ...graph, ...(r.body as object) }, composition: null }],
  });
}

describe("graphs list", () => {
  it("shows status, version, subgraph count and request rate", async () => {
    graphsApi("viewer");
    renderAt("/graphs");
    const row = (await screen.findByText("shop")).closest("tr")!;
    expect(within(row).getByText("Failed")).toBeTruthy();
    expect(within(row).getByText("c1-abcdef12")).toBeTruthy();
    await waitFor(() => expect(within(row).getByTestId("subgraph-count")).toHaveTextContent("3"));
    expect(await within(row).findByText("1 req/s")).toBeTruthy();
    expect(row.querySelector("svg.sparkline")).not.toBeNull();
  });

  it("shows a viewer no control that changes anything", async () => {
    graphsApi("viewer");
    const { container } = renderAt("/graphs");
    await screen.findByText("shop");
    expect(screen.queryByRole("button", { name: "New graph" })).toBeNull();
    expect(container.querySelectorAll("[data-mutating]")).toHaveLength(0);
  });

  it("lets an admin create a graph, sending the session's CSRF token", async () => {
    const api = graphsApi("admin");
    renderAt("/graphs");
    fireEvent.click(await screen.findByRole("button", { name: "New graph" }));
    const form = screen.getByRole("form", { name: "New graph" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "shop2" } });
    fireEvent.change(within(form).getByLabelText(/Routing URL/), { target: { value: "http://127.0.0.1:4000/graphql" } });
    fireEvent.change(within(form).getByLabelText(/Label matchers/), { target: { value: "env=prod\nteam=a,team=b\n" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create graph" }));
    await waitFor(() => expect(api.calls.some((c) => c.method === "POST" && c.path === "/v1/namespaces/default/graphs")).toBe(true));
    const post = api.calls.find((c) => c.method === "POST")!;
    expect(post.headers["x-csrf-token"]).toBe("csrf-123");
    expect(post.body).toEqual({ name: "shop2", routingUrl: "http://127.0.0.1:4000/graphql", labelMatchers: ["env=prod", "team=a,team=b"] });
    expect(api.calls.filter((c) => c.method === "GET").every((c) => c.headers["x-csrf-token"] === undefined)).toBe(true);
  });
});

describe("graph pages", () => {
  it("shows the failed composition's errors on the overview", async () => {
    mockApi({
      "GET /v1/auth/session": [200, session("viewer")],
      "GET /v1/namespaces/default/graphs/shop": [200, { graph }],
      "GET /v1/namespaces/default/graphs/shop/compositions/2": [
        200,
        {
          composition: {
            id: 2, graph: "shop", namespace: "default", status: "failed", createdAt: "2026-11-27T05:00:00.000Z",
            trigger: "publish default/products v2", subgraphs: [{ name: "products", version: 2 }],
            errors: [{ code: "FIELD_TYPE_MISMATCH", message: "Product.upc has type String! in products and Int! in reviews", locations: [{ subgraph: "reviews", line: 3, column: 5 }] }],
            hints: [], artifactVersion: null, supergraphSdl: null,
          },
        },
      ],
    });
    renderAt("/graphs/default/shop");
    const failed = await screen.findByTestId("last-composition-failed");
    expect(failed).toHaveTextContent("FIELD_TYPE_MISMATCH");
    expect(failed).toHaveTextContent("reviews line 3 column 5");
    expect(screen.getByTestId("current-version")).toHaveTextContent("c1-abcdef12");
  });

  it("says so when the control plane does not offer an endpoint", async () => {
    mockApi({
      "GET /v1/auth/session": [200, session("viewer")],
      "GET /v1/namespaces/default/graphs/shop": [200, { graph }],
    });
    renderAt("/graphs/default/shop/routers");
    expect(await screen.findByTestId("error")).toHaveTextContent("This control plane does not offer this yet");
  });

  it("lists the router fleet", async () => {
    mockApi({
      "GET /v1/auth/session": [200, session("viewer")],
      "GET /v1/namespaces/default/graphs/shop": [200, { graph }],
      "GET /v1/namespaces/default/graphs/shop/routers": [
        200,
        {
          items: [
            { id: "r-1", host: "edge-1", orbitVersion: "0.1.0", configVersion: "c0-old", firstSeen: "2026-11-27T04:00:00.000Z", lastSeen: "2026-11-27T04:10:00.000Z", seenVia: ["usage"], reportIntervalSeconds: 60, status: "stale" },
            { id: "r-2", host: "edge-2", orbitVersion: "0.1.0", configVersion: "c1-abcdef12", firstSeen: "2026-11-27T04:00:00.000Z", lastSeen: "2026-11-27T04:11:00.000Z", seenVia: ["cdn"], pollIntervalSeconds: 10, status: "healthy" },
          ],
        },
      ],
    });
    renderAt("/graphs/default/shop/routers");
    const row = (await screen.findByText("edge-1")).closest("tr")!;
    expect(within(row).getByText("Stale")).toBeTruthy();
    expect(row).toHaveTextContent("not the current c1-abcdef12");
    expect(within(row).getByTestId("seen-via")).toHaveTextContent("usage");
    // A router that only polls the CDN.
    const polling = screen.getByText("edge-2").closest("tr")!;
    expect(within(polling).getByText("Healthy")).toBeTruthy();
    expect(within(polling).getByTestId("seen-via")).toHaveTextContent("CDN polls");
    expect(within(polling).getByTitle("every 10 s")).toBeTruthy();
    expect(polling).not.toHaveTextContent("not the current");
  });
});

describe("settings", () => {
  it("revokes a graph token after confirmation", async () => {
    const tokens = [{ id: "t1", name: "edge", createdAt: "2026-11-27T04:00:00.000Z", expiresAt: null, revokedAt: null as string | null }];
    const api = mockApi({
      "GET /v1/auth/session": [200, session("admin", "tok-9")],
      "GET /v1/namespaces": [200, { items: [{ name: "default", createdAt: "x" }], nextCursor: null }],
      "GET /v1/namespaces/default/graphs": [200, { items: [graph], nextCursor: null }],
      "GET /v1/namespaces/default/graphs/shop/tokens": () => [200, { items: tokens, nextCursor: null }],
      "DELETE /v1/namespaces/default/graphs/shop/tokens/t1": () => {
        tokens[0].revokedAt = "2026-11-27T05:00:00.000Z";
        return [200, { token: tokens[0] }];
      },
    });
    renderAt("/settings/tokens");
    const row = (await screen.findByText("edge")).closest("tr")!;
    fireEvent.click(within(row).getByRole("button", { name: "Revoke" }));
    fireEvent.click(within(row).getByRole("button", { name: "Yes" }));
    expect(await within(await screen.findByTestId("tokens")).findByText("Revoked")).toBeTruthy();
    const del = api.calls.find((c) => c.method === "DELETE")!;
    expect(del.headers["x-csrf-token"]).toBe("tok-9");
  });

  it("hides admin sections from a viewer", async () => {
    mockApi({ "GET /v1/auth/session": [200, session("viewer")] });
    const { container } = renderAt("/settings/users");
    expect(await screen.findByText("Only admins manage this")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Users" })).toBeNull();
    expect(container.querySelectorAll("[data-mutating]")).toHaveLength(0);
  });
});

describe("analytics", () => {
  it("shows totals, top operations and clients, and filters by an operation through the URL", async () => {
    const usage = {
      from: "2026-11-27T11:00:00.000Z", to: "2026-11-27T12:00:00.000Z", step: 60,
      series: [{ time: "2026-11-27T11:00:00.000Z", requests: 10, errors: 1, p50Ms: 2, p95Ms: 9, p99Ms: 20 }],
      totals: { requests: 1500, errors: 15, p50Ms: 2.5, p95Ms: 9.25, p99Ms: 1250 },
      operations: [{ hash: "ab".repeat(32), name: "TopProducts", type: "query", requests: 1500, errors: 15, p95Ms: 9.25 }],
      clients: [{ name: "web", version: "1.2", requests: 1500, errors: 15 }],
    };
    const api = mockApi({
      "GET /v1/auth/session": [200, session("viewer")],
      "GET /v1/namespaces/default/graphs/shop": [200, { graph }],
      "GET /v1/namespaces/default/graphs/shop/usage": [200, usage],
      "GET /v1/namespaces/default/graphs/shop/usage/fields": [
        200,
        {
          fields: [
            { coordinate: "Product.name", requests: 40, operations: 1, clients: 1, lastUsed: "2026-11-27T11:59:00.000Z" },
            { coordinate: "Query.topProducts", requests: 1500, operations: 2, clients: 3, lastUsed: "2026-11-27T11:59:00.000Z" },
          ],
        },
      ],
    });
    renderAt("/graphs/default/shop/analytics?range=6h");
    expect(await screen.findByTestId("total-requests", {}, { timeout: 15_000 })).toHaveTextContent("1.5k");
    expect(screen.getByTestId("totals")).toHaveTextContent("1%");
    expect(screen.getByTestId("totals")).toHaveTextContent("1.25 s");
    expect(screen.getByTestId("operations")).toHaveTextContent("TopProducts");
    expect(screen.getByTestId("clients")).toHaveTextContent("web");
    const fields = await screen.findByTestId("fields");
    expect(fields.querySelector("tbody tr")).toHaveTextContent("Query.topProducts1.5k23");
    fireEvent.change(screen.getByLabelText("Filter fields"), { target: { value: "product.NA" } });
    expect(screen.getByTestId("fields").querySelectorAll("tbody tr")).toHaveLength(1);
    expect(screen.getByTestId("fields")).toHaveTextContent("Product.name");
    const first = api.calls.find((c) => c.path.endsWith("/usage"))!;
    expect(first.query.get("step")).toBe("300");
    expect(Date.parse(first.query.get("to")!) - Date.parse(first.query.get("from")!)).toBe(6 * 3600 * 1000);
    fireEvent.click(screen.getByRole("button", { name: "TopProducts" }));
    await waitFor(() => expect(api.calls.filter((c) => c.path.endsWith("/usage")).at(-1)!.query.get("operation")).toBe("ab".repeat(32)));
  });
});
