import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, listAll, paths } from "../api/client";
import type { Graph, Namespace, Subgraph, Usage } from "../api/types";
import { Sparkline, StatusBadge, Time } from "../components/bits";
import { FormCard, NameField } from "../components/forms";
import { AsyncView, Empty } from "../components/states";
import { formatRate, rangeWindow, timeRange } from "../lib/format";
import { useAction } from "../lib/useAction";
import { useApi } from "../lib/useApi";
import { can, useRole } from "../session";

export function compositionStatus(g: Graph): "succeeded" | "failed" | "none" {
  if (!g.latestComposition) return "none";
  return g.latestComposition.status === "failed" ? "failed" : "succeeded";
}

export function GraphsPage() {
  const role = useRole();
  const state = useApi(async (signal) => {
    const namespaces = await listAll<Namespace>(paths.namespaces, 10, signal);
    const perNs = await Promise.all(namespaces.map((ns) => listAll<Graph>(paths.graphs(ns.name), 10, signal)));
    return { namespaces, graphs: perNs.flat() };
  }, []);
  const [creating, setCreating] = useState(false);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Graphs</h1>
        {can(role, "admin") && !creating ? (
          <button type="button" className="btn btn-primary" data-mutating="" onClick={() => setCreating(true)}>
            New graph
          </button>
        ) : null}
      </div>
      {creating && state.data ? (
        <NewGraphForm namespaces={state.data.namespaces} onCancel={() => setCreating(false)} />
      ) : null}
      <AsyncView
        state={state}
        isEmpty={(d) => d.graphs.length === 0}
        empty={
          <Empty title="No federated graph yet">
            {can(role, "admin")
              ? "Create one with “New graph”, or with the CLI: orbit graph create NAME --routing-url URL --label-matcher env=prod"
              : "An admin of your organization creates graphs."}
          </Empty>
        }
      >
        {(d) => (
          <table className="table" data-testid="graphs">
            <thead>
              <tr>
                <th>Graph</th>
                <th>Namespace</th>
                <th>Composition</th>
                <th>Version</th>
                <th className="num">Subgraphs</th>
                <th>Requests (last hour)</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {d.graphs.map((g) => (
                <GraphRow key={`${g.namespace}/${g.name}`} graph={g} />
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </section>
  );
}

function GraphRow({ graph }: { graph: Graph }) {
  const subgraphs = useApi((signal) => api<{ items: Subgraph[] }>(paths.graphSubgraphs(graph.namespace, graph.name), { signal }), [graph.namespace, graph.name]);
  const range = timeRange("1h");
  const usage = useApi((signal) => {
    const w = rangeWindow({ ...range, step: 300 });
    return api<Usage>(paths.usage(graph.namespace, graph.name), { query: { ...w, step: 300 }, signal });
  }, [graph.namespace, graph.name]);
  const status = compositionStatus(graph);
  const base = `/graphs/${graph.namespace}/${graph.name}`;
  return (
    <tr data-graph={graph.name}>
      <td>
        <Link to={base} className="strong">
          {graph.name}
        </Link>
      </td>
      <td>{graph.namespace}</td>
      <td>
        <Link to={`${base}/compositions`}>
          <StatusBadge status={status} />
        </Link>
      </td>
      <td>
        <code className="code">{graph.servedComposition?.artifactVersion ?? "—"}</code>
      </td>
      <td className="num" data-testid="subgraph-count">{subgraphs.data ? subgraphs.data.items.length : subgraphs.error ? "?" : "…"}</td>
      <td>
        {usage.data ? (
          <span className="spark-cell">
            <Sparkline values={usage.data.series.map((p) => p.requests)} label={`requests of ${graph.name}`} />
            <span className="muted">{formatRate(usage.data.totals.requests, range.seconds)}</span>
          </span>
        ) : (
          <span className="muted" title={usage.error ? "no usage data" : undefined}>
            {usage.error ? "no data" : "…"}
          </span>
        )}
      </td>
      <td>
        <Time iso={graph.updatedAt} />
      </td>
    </tr>
  );
}

export function parseMatchers(text: string): string[] {
  return text
    .split("\n")
    .map((s) => s.trim())
    .filter(Boolean);
}

function NewGraphForm({ namespaces, onCancel }: { namespaces: Namespace[]; onCancel: () => void }) {
  const navigate = useNavigate();
  const [ns, setNs] = useState(namespaces[0]?.name ?? "default");
  const [name, setName] = useState("");
  const [routingUrl, setRoutingUrl] = useState("");
  const [matchers, setMatchers] = useState("");
  const action = useAction();
  const submit = async () => {
    const body = { name: name.trim(), routingUrl: routingUrl.trim(), labelMatchers: parseMatchers(matchers) };
    if (await action.run(() => api(paths.graphs(ns), { method: "POST", body }))) navigate(`/graphs/${ns}/${name.trim()}`);
  };
  return (
    <FormCard
      label="New graph"
      title="New federated graph"
      action={action}
      submit="Create graph"
      busySubmit="Creating…"
      onSubmit={() => void submit()}
      extraButtons={
        <button type="button" className="btn btn-quiet" onClick={onCancel}>
          Cancel
        </button>
      }
    >
      <label>
        Namespace
        <select name="namespace" value={ns} onChange={(e) => setNs(e.target.value)}>
          {namespaces.map((n) => (
            <option key={n.name}>{n.name}</option>
          ))}
        </select>
      </label>
      <NameField value={name} onChange={setName} />
      <label className="wide">
        Routing URL (where clients reach the graph's routers)
        <input name="routingUrl" type="url" required maxLength={2048} placeholder="https://shop.example.com/graphql" value={routingUrl} onChange={(e) => setRoutingUrl(e.target.value)} />
      </label>
      <label className="wide">
        Label matchers, one per line (a subgraph is selected when it satisfies every line; a line is key=value terms separated by commas, any of which may match)
        <textarea name="labelMatchers" rows={3} placeholder="env=prod" value={matchers} onChange={(e) => setMatchers(e.target.value)} />
      </label>
    </FormCard>
  );
}
