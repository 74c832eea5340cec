import { Link, NavLink, Outlet, useOutletContext, useParams } from "react-router-dom";
import { api, paths } from "../api/client";
import type { Graph } from "../api/types";
import { StatusBadge } from "../components/bits";
import { ErrorView, Loading } from "../components/states";
import { useApi } from "../lib/useApi";
import { compositionStatus } from "./Graphs";

export interface GraphContext {
  ns: string;
  name: string;
  graph: Graph;
  reload: () => void;
  base: string;
}

export function useGraph(): GraphContext {
  return useOutletContext<GraphContext>();
}

const TABS: [string, string][] = [
  ["", "Overview"],
  ["subgraphs", "Subgraphs"],
  ["schema", "Schema"],
  ["compositions", "Compositions"],
  ["changelog", "Changelog"],
  ["checks", "Checks"],
  ["analytics", "Analytics"],
  ["routers", "Routers"],
  ["playground", "Playground"],
];

export function GraphLayout() {
  const { ns = "", graph: name = "" } = useParams();
  const state = useApi((signal) => api<{ graph: Graph }>(paths.graph(ns, name), { signal }), [ns, name]);
  const base = `/graphs/${ns}/${name}`;
  return (
    <section className="page">
      <div className="breadcrumbs">
        <Link to="/graphs">Graphs</Link> / <span>{ns}</span> / <strong>{name}</strong>
      </div>
      <div className="page-head">
        <h1>{name}</h1>
        {state.data ? <StatusBadge status={compositionStatus(state.data.graph)} /> : null}
      </div>
      <nav className="tabs graph-tabs" aria-label="Graph">
        {TABS.map(([path, label]) => (
          <NavLink key={path} to={path ? `${base}/${path}` : base} end={path === ""}>
            {label}
          </NavLink>
        ))}
      </nav>
      {state.error ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <Outlet context={{ ns, name, graph: state.data.graph, reload: state.reload, base } satisfies GraphContext} />
      )}
    </section>
  );
}
