import { Link, useParams } from "react-router-dom";
import { api, paths } from "../api/client";
import type { Check, Page } from "../api/types";
import { Diagnostics, StatusBadge, Time } from "../components/bits";
import { ChangeList } from "../components/ChangeList";
import { AsyncView, Empty } from "../components/states";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

export function ChecksPage() {
  const { ns, name, base } = useGraph();
  const state = useApi((signal) => api<Page<Check>>(paths.graphChecks(ns, name), { query: { limit: 50 }, signal }), [ns, name]);
  return (
    <AsyncView
      state={state}
      isEmpty={(d) => d.items.length === 0}
      empty={<Empty title="No schema check yet">Run one with: orbit subgraph check NAME -n {ns} --schema FILE</Empty>}
    >
      {(d) => (
        <table className="table" data-testid="checks">
          <thead>
            <tr>
              <th>Check</th>
              <th>Subgraph</th>
              <th>Result</th>
              <th className="num">Breaking</th>
              <th className="num">Changes</th>
              <th>Compositions</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((c) => (
              <tr key={c.id} data-check={c.id}>
                <td>
                  <Link to={`${base}/checks/${c.id}`}>#{String(c.id).slice(0, 12)}</Link>
                </td>
                <td>{c.subgraph ?? "—"}</td>
                <td>
                  <StatusBadge status={c.ok ? "ok" : "failed"} />
                </td>
                <td className="num">{c.breakingChanges.filter((b) => !b.safe).length}</td>
                <td className="num">{c.changes.length}</td>
                <td>{c.compositions.map((x) => `${x.graph}: ${x.status}`).join(", ")}</td>
                <td>
                  <Time iso={c.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AsyncView>
  );
}

export function CheckPage() {
  const { ns, base } = useGraph();
  const { id = "" } = useParams();
  const state = useApi((signal) => api<Check | { check: Check }>(paths.check(ns, id), { signal }).then((a) => ("check" in a ? a.check : a)), [ns, id]);
  return (
    <div className="stack">
      <div className="breadcrumbs">
        <Link to={`${base}/checks`}>Checks</Link> / <strong>{id}</strong>
      </div>
      <AsyncView state={state}>
        {(c) => (
          <>
            <div className="card row">
              <StatusBadge status={c.ok ? "ok" : "failed"} />
              <span>{c.subgraph ? `Subgraph ${c.subgraph}` : null}</span>
              {c.usageWindowDays ? <span className="muted">usage of the last {c.usageWindowDays} days</span> : null}
              <span className="muted push">
                <Time iso={c.createdAt} />
              </span>
            </div>
            <div className="card">
              <h2>Compositions</h2>
              {c.compositions.length === 0 ? <p className="muted">No graph selects this subgraph.</p> : null}
              {c.compositions.map((x) => (
                <div key={x.graph}>
                  <div className="row">
                    <strong>{x.graph}</strong> <StatusBadge status={x.status} />
                  </div>
                  <Diagnostics items={x.errors} kind="error" />
                </div>
              ))}
            </div>
            <div className="card">
              <h2>Breaking changes ({c.breakingChanges.length})</h2>
              <ChangeList changes={c.breakingChanges} />
            </div>
            <div className="card">
              <h2>All changes ({c.changes.length})</h2>
              <ChangeList changes={c.changes} />
            </div>
          </>
        )}
      </AsyncView>
    </div>
  );
}
