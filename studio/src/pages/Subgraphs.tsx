import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api, listAll, paths } from "../api/client";
import type { Changelog, SchemaVersion, SchemaVersionRef, Subgraph } from "../api/types";
import { Tag, Time } from "../components/bits";
import { ChangeList } from "../components/ChangeList";
import { SdlView } from "../components/SdlView";
import { AsyncView, Empty, ErrorView, Loading } from "../components/states";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

export function SubgraphsPage() {
  const { ns, name, base } = useGraph();
  const state = useApi((signal) => api<{ items: Subgraph[] }>(paths.graphSubgraphs(ns, name), { signal }), [ns, name]);
  return (
    <AsyncView
      state={state}
      isEmpty={(d) => d.items.length === 0}
      empty={<Empty title="The graph's label matchers select no subgraph">Create subgraphs with matching labels: orbit subgraph create NAME -n {ns} --routing-url URL --label key=value</Empty>}
    >
      {(d) => (
        <table className="table" data-testid="subgraphs">
          <thead>
            <tr>
              <th>Subgraph</th>
              <th>Routing URL</th>
              <th>Labels</th>
              <th>Version</th>
              <th>Last publish</th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((s) => (
              <tr key={s.name} data-subgraph={s.name}>
                <td>
                  <Link className="strong" to={`${base}/subgraphs/${s.name}`}>
                    {s.name}
                  </Link>
                </td>
                <td>
                  <code className="code">{s.routingUrl}</code>
                </td>
                <td>
                  {Object.entries(s.labels).map(([k, v]) => (
                    <Tag key={k}>
                      {k}={v}
                    </Tag>
                  ))}
                </td>
                <td>{s.latestVersion ? `v${s.latestVersion.version}` : <span className="muted">no schema</span>}</td>
                <td>{s.latestVersion ? <Time iso={s.latestVersion.createdAt} /> : <span className="muted">never</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AsyncView>
  );
}

export function SubgraphPage() {
  const { ns, base } = useGraph();
  const { sub = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get("q") ?? "");
  const subgraph = useApi((signal) => api<{ subgraph: Subgraph }>(paths.subgraph(ns, sub), { signal }), [ns, sub]);
  const versions = useApi((signal) => listAll<SchemaVersionRef>(paths.versions(ns, sub), 5, signal), [ns, sub]);
  const latest = versions.data?.[0]?.version;
  const selected = Number(params.get("version")) || latest;
  const sdl = useApi(
    (signal) => (selected ? api<SchemaVersion>(paths.version(ns, sub, selected), { signal }) : Promise.resolve(null)),
    [ns, sub, selected],
  );
  const changes = useApi(
    (signal) => (selected ? api<Changelog>(paths.changelog(ns, sub), { query: { to: selected }, signal }) : Promise.resolve(null)),
    [ns, sub, selected],
  );
  const setParam = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  return (
    <div className="stack">
      <div className="breadcrumbs">
        <Link to={`${base}/subgraphs`}>Subgraphs</Link> / <strong>{sub}</strong>
      </div>
      {subgraph.error ? <ErrorView error={subgraph.error} onRetry={subgraph.reload} /> : null}
      {subgraph.data ? (
        <dl className="facts card">
          <dt>Routing URL</dt>
          <dd>
            <code className="code">{subgraph.data.subgraph.routingUrl}</code>
          </dd>
          <dt>Subscriptions</dt>
          <dd>{subgraph.data.subgraph.subscriptionUrl ? `${subgraph.data.subgraph.subscriptionUrl} (${subgraph.data.subgraph.subscriptionProtocol})` : <span className="muted">none</span>}</dd>
          <dt>Labels</dt>
          <dd>
            {Object.entries(subgraph.data.subgraph.labels).map(([k, v]) => (
              <Tag key={k}>
                {k}={v}
              </Tag>
            ))}
          </dd>
        </dl>
      ) : null}
      <div className="split">
        <aside className="card history">
          <h2>History</h2>
          <AsyncView state={versions} isEmpty={(d) => d.length === 0} empty={<Empty title="No schema published yet" />}>
            {(list) => (
              <ol className="versions">
                {list.map((v) => (
                  <li key={v.version} className={v.version === selected ? "active" : ""}>
                    <button type="button" className="link" onClick={() => setParam("version", String(v.version))}>
                      v{v.version}
                    </button>{" "}
                    <span className="muted">
                      <Time iso={v.createdAt} />
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </AsyncView>
        </aside>
        <div className="stack grow">
          {selected ? (
            <div className="card">
              <h2>Changes in v{selected}</h2>
              {changes.error ? <ErrorView error={changes.error} /> : changes.data ? <ChangeList changes={changes.data.changes} /> : <Loading />}
            </div>
          ) : null}
          <div className="card">
            <div className="page-head">
              <h2>SDL {selected ? `v${selected}` : ""}</h2>
              <input
                type="search"
                className="search"
                placeholder="Search the SDL"
                aria-label="Search the SDL"
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  setParam("q", e.target.value || null);
                }}
              />
            </div>
            {sdl.error ? (
              <ErrorView error={sdl.error} />
            ) : sdl.loading ? (
              <Loading />
            ) : sdl.data ? (
              <SdlView sdl={sdl.data.sdl} query={query} selected={params.get("type")} onSelectType={(t) => setParam("type", t)} />
            ) : (
              <Empty title="No schema published yet" />
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
