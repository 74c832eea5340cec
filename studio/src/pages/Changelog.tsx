import { Link } from "react-router-dom";
import { api, listAll, paths } from "../api/client";
import type { Change, Changelog, SchemaVersionRef, Subgraph } from "../api/types";
import { Time } from "../components/bits";
import { ChangeList } from "../components/ChangeList";
import { AsyncView, Empty } from "../components/states";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

export interface ChangelogEntry {
  subgraph: string;
  version: number;
  createdAt: string;
  changes: Change[];
}

// Newest first; ties (same instant) by subgraph name.
export function sortEntries(entries: ChangelogEntry[]): ChangelogEntry[] {
  return [...entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.subgraph.localeCompare(b.subgraph) || b.version - a.version);
}

const VERSIONS_PER_SUBGRAPH = 20;

// What changed in the graph: every schema version of its subgraphs (the newest 20 of each),
// with the fields and types each one added, removed or changed.
export function ChangelogPage() {
  const { ns, name, base } = useGraph();
  const state = useApi(async (signal) => {
    const subs = await api<{ items: Subgraph[] }>(paths.graphSubgraphs(ns, name), { signal });
    const perSub = await Promise.all(
      subs.items.map(async (s) => {
        const versions = (await listAll<SchemaVersionRef>(paths.versions(ns, s.name), 1, signal)).slice(0, VERSIONS_PER_SUBGRAPH);
        return Promise.all(
          versions.map(async (v) => {
            const log = await api<Changelog>(paths.changelog(ns, s.name), { query: { to: v.version }, signal });
            return { subgraph: s.name, version: v.version, createdAt: v.createdAt, changes: log.changes } satisfies ChangelogEntry;
          }),
        );
      }),
    );
    return sortEntries(perSub.flat());
  }, [ns, name]);
  return (
    <AsyncView state={state} isEmpty={(d) => d.length === 0} empty={<Empty title="No schema published yet" />}>
      {(entries) => (
        <div className="stack" data-testid="changelog">
          {entries.map((e) => (
            <article key={`${e.subgraph}-${e.version}`} className="card">
              <header className="row">
                <Link className="strong" to={`${base}/subgraphs/${e.subgraph}?version=${e.version}`}>
                  {e.subgraph} v{e.version}
                </Link>
                <span className="muted">
                  {summarize(e.changes)}
                </span>
                <span className="muted push">
                  <Time iso={e.createdAt} />
                </span>
              </header>
              <ChangeList changes={e.changes} />
            </article>
          ))}
        </div>
      )}
    </AsyncView>
  );
}

export function summarize(changes: Change[]): string {
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const c of changes) {
    if (/_ADDED$/.test(c.type)) counts.added++;
    else if (/_REMOVED$/.test(c.type)) counts.removed++;
    else counts.changed++;
  }
  const parts = [];
  if (counts.added) parts.push(`${counts.added} added`);
  if (counts.removed) parts.push(`${counts.removed} removed`);
  if (counts.changed) parts.push(`${counts.changed} changed`);
  return parts.join(", ") || "no changes";
}
