import { Link } from "react-router-dom";
import { api, paths } from "../api/client";
import type { Composition } from "../api/types";
import { Diagnostics, StatusBadge, Tag, Time } from "../components/bits";
import { ErrorView, Loading } from "../components/states";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

export function OverviewPage() {
  const { ns, name, graph, base } = useGraph();
  const latestId = graph.latestComposition?.id;
  const latest = useApi(
    (signal) => (latestId === undefined ? Promise.resolve(null) : api<{ composition: Composition }>(paths.composition(ns, name, latestId), { signal }).then((a) => a.composition)),
    [ns, name, latestId],
  );
  return (
    <div className="stack">
      <dl className="facts card">
        <dt>Routing URL</dt>
        <dd>
          <code className="code">{graph.routingUrl}</code>
        </dd>
        <dt>Label matchers</dt>
        <dd>{graph.labelMatchers.length ? graph.labelMatchers.map((m) => <Tag key={m}>{m}</Tag>) : <span className="muted">none (selects no subgraph)</span>}</dd>
        <dt>Current version</dt>
        <dd data-testid="current-version">
          {graph.servedComposition ? (
            <>
              <code className="code">{graph.servedComposition.artifactVersion}</code> <span className="muted">composed <Time iso={graph.servedComposition.createdAt} /></span>
            </>
          ) : (
            <span className="muted">nothing served yet</span>
          )}
        </dd>
        <dt>Last publish</dt>
        <dd>{graph.latestComposition ? <Time iso={graph.latestComposition.createdAt} /> : <span className="muted">never</span>}</dd>
        <dt>CDN path</dt>
        <dd>
          <code className="code">{graph.cdnPath}</code>
        </dd>
        <dt>Created</dt>
        <dd>
          <Time iso={graph.createdAt} />
        </dd>
      </dl>
      {latestId === undefined ? (
        <div className="card muted">
          No composition yet: publish subgraphs whose labels the matchers select (<code className="code">orbit subgraph publish NAME -n {ns} --schema FILE</code>).
        </div>
      ) : latest.error ? (
        <ErrorView error={latest.error} onRetry={latest.reload} />
      ) : !latest.data ? (
        <Loading />
      ) : latest.data.status === "failed" ? (
        <div className="card card-failed" data-testid="last-composition-failed">
          <h2>
            The last composition failed <StatusBadge status="failed" />
          </h2>
          <p className="muted">
            {latest.data.trigger} · <Time iso={latest.data.createdAt} /> · routers keep the previous version
            {graph.servedComposition ? ` (${graph.servedComposition.artifactVersion})` : ""}.{" "}
            <Link to={`${base}/compositions/${latest.data.id}`}>Details</Link>
          </p>
          <Diagnostics items={latest.data.errors} kind="error" />
        </div>
      ) : (
        <div className="card">
          <h2>
            Last composition <StatusBadge status="succeeded" />
          </h2>
          <p className="muted">
            {latest.data.trigger} · <Time iso={latest.data.createdAt} /> · {latest.data.subgraphs.length} subgraphs ·{" "}
            <Link to={`${base}/compositions/${latest.data.id}`}>Details</Link>
          </p>
          {latest.data.hints.length ? <Diagnostics items={latest.data.hints} kind="hint" /> : null}
        </div>
      )}
    </div>
  );
}
