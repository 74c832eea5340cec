import { useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { api, paths } from "../api/client";
import type { Composition } from "../api/types";
import { SdlView } from "../components/SdlView";
import { Empty, ErrorView, Loading } from "../components/states";
import { apiSchemaFromSupergraph } from "../lib/apiSchema";
import { useApi } from "../lib/useApi";
import { useGraph } from "./GraphLayout";

// The graph's API schema (what clients query) and its supergraph, searchable, types linked.
export default function SchemaPage() {
  const { ns, name, graph } = useGraph();
  const [params, setParams] = useSearchParams();
  const view = params.get("view") === "supergraph" ? "supergraph" : "api";
  const compositionId = params.get("composition") ?? graph.servedComposition?.id?.toString();
  const [query, setQuery] = useState(params.get("q") ?? "");
  const state = useApi(
    (signal) =>
      compositionId ? api<{ composition: Composition }>(paths.composition(ns, name, compositionId), { signal }).then((a) => a.composition) : Promise.resolve(null),
    [ns, name, compositionId],
  );
  const supergraph = state.data?.supergraphSdl ?? null;
  const apiSchema = useMemo(() => {
    if (!supergraph) return { sdl: null, error: null };
    try {
      return { sdl: apiSchemaFromSupergraph(supergraph), error: null };
    } catch (e) {
      return { sdl: null, error: e };
    }
  }, [supergraph]);
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: k === "q" });
  };
  const sdl = view === "api" ? apiSchema.sdl : supergraph;

  return (
    <div className="stack">
      <div className="row">
        <div className="segmented" role="tablist" aria-label="Schema">
          <button type="button" role="tab" aria-selected={view === "api"} className={view === "api" ? "active" : ""} onClick={() => set("view", null)}>
            API schema
          </button>
          <button type="button" role="tab" aria-selected={view === "supergraph"} className={view === "supergraph" ? "active" : ""} onClick={() => set("view", "supergraph")}>
            Supergraph
          </button>
        </div>
        {state.data ? (
          <span className="muted">
            composition #{state.data.id} {state.data.artifactVersion ? `(${state.data.artifactVersion})` : ""}
          </span>
        ) : null}
        <input
          type="search"
          className="search push"
          placeholder="Search types, fields, directives"
          aria-label="Search the schema"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            set("q", e.target.value || null);
          }}
        />
      </div>
      {!compositionId ? (
        <Empty title="No schema yet">The graph has not composed successfully yet.</Empty>
      ) : state.error ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : state.loading ? (
        <Loading />
      ) : !supergraph ? (
        <Empty title="This composition has no supergraph">It failed; see its errors on the Compositions page.</Empty>
      ) : view === "api" && apiSchema.error ? (
        <ErrorView error={apiSchema.error} />
      ) : sdl ? (
        <div className="card">
          <SdlView sdl={sdl} query={query} selected={params.get("type")} onSelectType={(t) => set("type", t)} />
        </div>
      ) : null}
    </div>
  );
}
