import { Link, useParams } from "react-router-dom";
import { api, paths } from "../api/client";
import type { Composition, Page } from "../api/types";
import { Diagnostics, StatusBadge, Time } from "../components/bits";
import { AsyncView, Empty } from "../components/states";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

export function CompositionsPage() {
  const { ns, name, base } = useGraph();
  const state = useApi((signal) => api<Page<Composition>>(paths.compositions(ns, name), { query: { limit: 50 }, signal }), [ns, name]);
  return (
    <AsyncView state={state} isEmpty={(d) => d.items.length === 0} empty={<Empty title="No composition yet">A graph composes when subgraphs it selects publish a schema.</Empty>}>
      {(d) => (
        <div className="stack" data-testid="compositions">
          {d.items.map((c) => (
            <article key={c.id} className={`card composition composition-${c.status}`} data-composition={c.id} data-status={c.status}>
              <header className="row">
                <Link to={`${base}/compositions/${c.id}`} className="strong">
                  #{c.id}
                </Link>
                <StatusBadge status={c.status} />
                {c.artifactVersion ? <code className="code">{c.artifactVersion}</code> : null}
                <span className="muted">{c.trigger}</span>
                <span className="muted push">
                  <Time iso={c.createdAt} />
                </span>
              </header>
              <div className="muted small">
                {c.subgraphs.map((s) => `${s.name} v${s.version}`).join(" · ") || "no subgraph"}
              </div>
              <Diagnostics items={c.errors} kind="error" />
              {c.hints.length ? <div className="muted small">{c.hints.length} hint{c.hints.length === 1 ? "" : "s"}</div> : null}
            </article>
          ))}
          {d.nextCursor ? <p className="muted">Showing the 50 newest.</p> : null}
        </div>
      )}
    </AsyncView>
  );
}

export function CompositionPage() {
  const { ns, name, base } = useGraph();
  const { id = "" } = useParams();
  const state = useApi((signal) => api<{ composition: Composition }>(paths.composition(ns, name, id), { signal }).then((a) => a.composition), [ns, name, id]);
  return (
    <div className="stack">
      <div className="breadcrumbs">
        <Link to={`${base}/compositions`}>Compositions</Link> / <strong>#{id}</strong>
      </div>
      <AsyncView state={state}>
        {(c) => (
          <>
            <dl className="facts card">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={c.status} />
              </dd>
              <dt>Trigger</dt>
              <dd>{c.trigger}</dd>
              <dt>When</dt>
              <dd>
                <Time iso={c.createdAt} />
              </dd>
              <dt>Artifact</dt>
              <dd>{c.artifactVersion ? <code className="code">{c.artifactVersion}</code> : <span className="muted">none (not composed)</span>}</dd>
              <dt>Subgraph versions</dt>
              <dd>
                {c.subgraphs.map((s) => (
                  <Link key={s.name} className="tag" to={`${base}/subgraphs/${s.name}?version=${s.version}`}>
                    {s.name} v{s.version}
                  </Link>
                ))}
              </dd>
            </dl>
            {c.errors.length ? (
              <div className="card card-failed">
                <h2>Errors ({c.errors.length})</h2>
                <Diagnostics items={c.errors} kind="error" />
              </div>
            ) : null}
            <div className="card">
              <h2>Hints ({c.hints.length})</h2>
              {c.hints.length ? <Diagnostics items={c.hints} kind="hint" /> : <p className="muted">None.</p>}
            </div>
            {c.supergraphSdl ? (
              <p>
                <Link to={`${base}/schema?view=supergraph&composition=${c.id}`}>This composition's supergraph</Link>
              </p>
            ) : null}
          </>
        )}
      </AsyncView>
    </div>
  );
}
