import { useSearchParams } from "react-router-dom";
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api, paths } from "../api/client";
import { useState } from "react";
import type { FieldUsage, Usage } from "../api/types";
import { Time } from "../components/bits";
import { Empty, ErrorView, Loading } from "../components/states";
import { TIME_RANGES, formatCount, formatDuration, formatPercent, formatRate, rangeWindow, shortHash, timeRange } from "../lib/format";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

function tickTime(iso: string, seconds: number): string {
  const d = new Date(iso);
  if (seconds > 2 * 86_400) return `${d.toISOString().slice(5, 10)} ${d.toISOString().slice(11, 13)}h`;
  return d.toISOString().slice(11, 16);
}

// Request rate, error rate and latency percentiles over a range, top operations and clients.
export default function AnalyticsPage() {
  const { ns, name } = useGraph();
  const [params, setParams] = useSearchParams();
  const range = timeRange(params.get("range"));
  const operation = params.get("operation");
  const client = params.get("client");
  const state = useApi(
    (signal) => api<Usage>(paths.usage(ns, name), { query: { ...rangeWindow(range), step: range.step, operation, client }, signal }),
    [ns, name, range.key, operation, client],
  );
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const fields = useApi(
    (signal) => api<{ fields: FieldUsage[] }>(paths.usageFields(ns, name), { query: rangeWindow(range), signal }),
    [ns, name, range.key],
  );
  const u = state.data;
  const series = (u?.series ?? []).map((p) => ({ ...p, label: tickTime(p.time, range.seconds) }));
  // Points are drawn when there are few of them (a single minute of traffic is otherwise invisible).
  const dots = series.filter((p) => p.requests > 0).length <= 30 ? { r: 2 } : false;
  const latencyDots = series.filter((p) => p.p50Ms !== null).length <= 30 ? { r: 2 } : false;

  return (
    <div className="stack">
      <div className="row">
        <label className="inline">
          Range{" "}
          <select value={range.key} onChange={(e) => set("range", e.target.value)} aria-label="Time range">
            {TIME_RANGES.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {operation ? (
          <span className="tag">
            operation {shortHash(operation)}{" "}
            <button type="button" className="link" aria-label="Clear operation filter" onClick={() => set("operation", null)}>
              ×
            </button>
          </span>
        ) : null}
        {client !== null ? (
          <span className="tag">
            client {client || "(none)"}{" "}
            <button type="button" className="link" aria-label="Clear client filter" onClick={() => set("client", null)}>
              ×
            </button>
          </span>
        ) : null}
        <button
          type="button"
          className="btn btn-small push"
          onClick={() => {
            state.reload();
            fields.reload();
          }}
        >
          Refresh
        </button>
      </div>
      {state.error ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : !u ? (
        <Loading />
      ) : u.totals.requests === 0 ? (
        <Empty title="No traffic in this range">Routers report usage to the control plane about once a minute; try a longer range.</Empty>
      ) : (
        <>
          <div className="stats" data-testid="totals">
            <Stat label="Requests" value={formatCount(u.totals.requests)} sub={formatRate(u.totals.requests, range.seconds)} testid="total-requests" raw={u.totals.requests} />
            <Stat label="Errors" value={formatCount(u.totals.errors)} sub={formatPercent(u.totals.errors, u.totals.requests)} />
            <Stat label="p50" value={formatDuration(u.totals.p50Ms)} />
            <Stat label="p95" value={formatDuration(u.totals.p95Ms)} />
            <Stat label="p99" value={formatDuration(u.totals.p99Ms)} />
          </div>
          <div className="charts">
            <div className="card chart">
              <h2>Requests and errors</h2>
              <ResponsiveContainer width="100%" height={220}>
                <AreaChart data={series} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                  <XAxis dataKey="label" fontSize={11} minTickGap={24} />
                  <YAxis fontSize={11} allowDecimals={false} width={44} />
                  <Tooltip />
                  <Legend />
                  <Area type="monotone" dataKey="requests" name="requests" stroke="#2563eb" fill="#bfdbfe" dot={dots} isAnimationActive={false} />
                  <Area type="monotone" dataKey="errors" name="errors" stroke="#dc2626" fill="#fecaca" dot={dots} isAnimationActive={false} />
                </AreaChart>
              </ResponsiveContainer>
            </div>
            <div className="card chart">
              <h2>Latency</h2>
              <ResponsiveContainer width="100%" height={220}>
                <LineChart data={series} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                  <XAxis dataKey="label" fontSize={11} minTickGap={24} />
                  <YAxis fontSize={11} width={64} tickFormatter={(v: number) => formatDuration(v)} />
                  <Tooltip formatter={(v) => formatDuration(typeof v === "number" ? v : Number(v))} />
                  <Legend />
                  <Line type="monotone" dataKey="p50Ms" name="p50" dot={latencyDots} stroke="#16a34a" isAnimationActive={false} connectNulls />
                  <Line type="monotone" dataKey="p95Ms" name="p95" dot={latencyDots} stroke="#d97706" isAnimationActive={false} connectNulls />
                  <Line type="monotone" dataKey="p99Ms" name="p99" dot={latencyDots} stroke="#dc2626" isAnimationActive={false} connectNulls />
                </LineChart>
              </ResponsiveContainer>
            </div>
          </div>
          <div className="charts">
            <div className="card">
              <h2>Top operations</h2>
              <table className="table" data-testid="operations">
                <thead>
                  <tr>
                    <th>Operation</th>
                    <th>Type</th>
                    <th className="num">Requests</th>
                    <th className="num">Errors</th>
                    <th className="num">p95</th>
                  </tr>
                </thead>
                <tbody>
                  {u.operations.map((o) => (
                    <tr key={o.hash}>
                      <td>
                        <button type="button" className="link" onClick={() => set("operation", o.hash)} title={o.hash}>
                          {o.name ?? <span className="muted">anonymous {shortHash(o.hash)}</span>}
                        </button>
                      </td>
                      <td>{o.type}</td>
                      <td className="num">{formatCount(o.requests)}</td>
                      <td className="num">{formatPercent(o.errors, o.requests)}</td>
                      <td className="num">{formatDuration(o.p95Ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="card">
              <h2>Clients</h2>
              <table className="table" data-testid="clients">
                <thead>
                  <tr>
                    <th>Client</th>
                    <th>Version</th>
                    <th className="num">Requests</th>
                    <th className="num">Errors</th>
                  </tr>
                </thead>
                <tbody>
                  {u.clients.map((c) => (
                    <tr key={`${c.name}@${c.version}`}>
                      <td>
                        <button type="button" className="link" onClick={() => set("client", c.name)}>
                          {c.name || <span className="muted">unidentified</span>}
                        </button>
                      </td>
                      <td>{c.version || "—"}</td>
                      <td className="num">{formatCount(c.requests)}</td>
                      <td className="num">{formatPercent(c.errors, c.requests)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <FieldsCard state={fields} />
        </>
      )}
    </div>
  );
}

const FIELDS_SHOWN = 200;

// Which schema coordinates the traffic used: who uses what, before removing it.
function FieldsCard({ state }: { state: { data: { fields: FieldUsage[] } | undefined; error: unknown } }) {
  const [filter, setFilter] = useState("");
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const all = state.data?.fields ?? [];
  const shown = all.filter((f) => words.every((w) => f.coordinate.toLowerCase().includes(w))).sort((a, b) => b.requests - a.requests);
  return (
    <div className="card">
      <div className="page-head">
        <h2>Field usage</h2>
        <input type="search" className="search" placeholder="Filter fields (Type.field)" aria-label="Filter fields" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {state.error ? (
        <ErrorView error={state.error} />
      ) : !state.data ? (
        <Loading />
      ) : shown.length === 0 ? (
        <p className="muted">{all.length ? "No field matches." : "No field usage recorded in this range."}</p>
      ) : (
        <table className="table" data-testid="fields">
          <thead>
            <tr>
              <th>Field</th>
              <th className="num">Requests</th>
              <th className="num">Operations</th>
              <th className="num">Clients</th>
              <th>Last used</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, FIELDS_SHOWN).map((f) => (
              <tr key={f.coordinate}>
                <td>
                  <code className="code">{f.coordinate}</code>
                </td>
                <td className="num">{formatCount(f.requests)}</td>
                <td className="num">{f.operations}</td>
                <td className="num">{f.clients}</td>
                <td>
                  <Time iso={f.lastUsed} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length > FIELDS_SHOWN ? <p className="muted">The {FIELDS_SHOWN} most used of {shown.length}; filter to find others.</p> : null}
    </div>
  );
}

function Stat({ label, value, sub, testid, raw }: { label: string; value: string; sub?: string; testid?: string; raw?: number }) {
  return (
    <div className="card stat">
      <div className="muted small">{label}</div>
      <div className="stat-value" data-testid={testid} data-value={raw}>
        {value}
      </div>
      {sub ? <div className="muted small">{sub}</div> : null}
    </div>
  );
}
