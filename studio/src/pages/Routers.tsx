import { api, paths } from "../api/client";
import type { RouterInstance } from "../api/types";
import { StatusBadge, Time } from "../components/bits";
import { AsyncView, Empty } from "../components/states";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

export function RoutersPage() {
  const { ns, name, graph } = useGraph();
  const state = useApi((signal) => api<{ items: RouterInstance[] }>(paths.routers(ns, name), { signal }), [ns, name]);
  const served = graph.servedComposition?.artifactVersion;
  return (
    <div className="stack">
      <div className="row">
        <span className="muted">Every router that reported usage or a heartbeat with this graph's token; stale after three missed report intervals.</span>
        <button type="button" className="btn btn-small push" onClick={state.reload}>
          Refresh
        </button>
      </div>
      <AsyncView
        state={state}
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No router has reported yet">Start orbit-router in managed mode with a graph token of this graph.</Empty>}
      >
        {(d) => (
          <table className="table" data-testid="routers">
            <thead>
              <tr>
                <th>Status</th>
                <th>Host</th>
                <th>Orbit</th>
                <th>Config version</th>
                <th>Last seen</th>
                <th>First seen</th>
                <th>Instance</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((r) => (
                <tr key={r.id} data-router={r.id}>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.host}</td>
                  <td>{r.orbitVersion}</td>
                  <td>
                    <code className="code">{r.configVersion}</code>
                    {served && r.configVersion !== served ? <span className="muted"> (not the current {served})</span> : null}
                  </td>
                  <td>
                    <Time iso={r.lastSeen} />
                  </td>
                  <td>
                    <Time iso={r.firstSeen} />
                  </td>
                  <td>
                    <code className="code small">{r.id}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}
