import { api, paths } from "../api/client";
import type { RouterInstance } from "../api/types";
import { StatusBadge, Tag, Time } from "../components/bits";
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
        <span className="muted">
          Every router that polled the CDN or reported usage with this graph's token; stale after three of its own poll or report intervals without a sign of it.
        </span>
        <button type="button" className="btn btn-small push" onClick={state.reload}>
          Refresh
        </button>
      </div>
      <AsyncView
        state={state}
        isEmpty={(d) => d.items.length === 0}
        empty={<Empty title="No router has polled or reported yet">Start orbit-router in managed mode with a graph token of this graph.</Empty>}
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
                <th>Seen via</th>
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
                  <td data-testid="seen-via">{seenVia(r)}</td>
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

// "CDN polls every 10 s", "usage every 60 s": how the router was seen and how often it said it
// would be.
function seenVia(r: RouterInstance) {
  const via = r.seenVia ?? ["usage"];
  return via.map((v) => {
    const every = v === "cdn" ? r.pollIntervalSeconds : r.reportIntervalSeconds;
    const label = v === "cdn" ? "CDN polls" : "usage";
    return (
      <span key={v} title={every ? `every ${every} s` : undefined}>
        <Tag>{label}</Tag>
      </span>
    );
  });
}
