import { useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { useGraph } from "./GraphLayout";

const STORAGE_PREFIX = "orbit-studio.playground-url.";

// A URL the playground may send queries to: http(s) only.
export function validRouterUrl(text: string): string | null {
  try {
    const u = new URL(text.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

type FetcherParams = { query: string; variables?: unknown; operationName?: string | null };

function makeFetcher(url: string) {
  return async (params: FetcherParams, opts?: { headers?: Record<string, unknown> }) => {
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
    for (const [k, v] of Object.entries(opts?.headers ?? {})) if (typeof v === "string") headers[k] = v;
    let response: Response;
    try {
      response = await fetch(url, { method: "POST", headers, body: JSON.stringify(params), credentials: "omit" });
    } catch (e) {
      return { errors: [{ message: `Cannot reach ${url}: ${(e as Error).message}. The router must be reachable from this browser and allow this page's origin (CORS).` }] };
    }
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${response.status} from ${url}: ${text.slice(0, 300)}` }] };
    }
  };
}

// GraphiQL against a router of the graph (the graph's routing URL unless another one is given).
// ?url=… picks the router and ?query=… fills the editor, so that a query can be shared as a link.
export default function PlaygroundPage() {
  const { ns, name, graph } = useGraph();
  const [params] = useSearchParams();
  const key = `${STORAGE_PREFIX}${ns}/${name}`;
  const initial = params.get("url") ?? localStorage.getItem(key) ?? graph.routingUrl;
  const sharedQuery = params.get("query")?.slice(0, 100_000) ?? undefined;
  const [draft, setDraft] = useState(initial);
  const [url, setUrl] = useState(validRouterUrl(initial));
  const [error, setError] = useState<string | null>(null);
  const fetcher = useMemo(() => (url ? makeFetcher(url) : null), [url]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validRouterUrl(draft);
    if (!v) {
      setError("Give an http:// or https:// URL of a router's GraphQL endpoint");
      return;
    }
    setError(null);
    localStorage.setItem(key, v);
    setUrl(v);
  };
  return (
    <div className="stack playground">
      <form className="row" onSubmit={submit}>
        <label className="inline grow">
          Router URL{" "}
          <input className="grow" value={draft} onChange={(e) => setDraft(e.target.value)} aria-label="Router URL" maxLength={2048} />
        </label>
        <button type="submit" className="btn btn-small">
          Use
        </button>
      </form>
      {error ? <div className="state state-error" role="alert">{error}</div> : null}
      {fetcher ? (
        <div className="graphiql-box">
          <GraphiQL key={url} fetcher={fetcher as never} query={sharedQuery} defaultEditorToolsVisibility={false} />
        </div>
      ) : (
        <div className="state state-error" role="alert">The graph's routing URL is not an http(s) URL; give a router URL above.</div>
      )}
    </div>
  );
}
