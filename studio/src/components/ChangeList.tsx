import type { Change } from "../api/types";
import { formatCount, shortHash } from "../lib/format";

const SEVERITY_ORDER = { BREAKING: 0, DANGEROUS: 1, SAFE: 2 } as const;

// Schema changes, breaking first, with their usage when a check measured it.
export function ChangeList({ changes }: { changes: Change[] }) {
  if (changes.length === 0) return <p className="muted">No changes.</p>;
  const sorted = [...changes].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3));
  return (
    <ul className="changes">
      {sorted.map((c, i) => (
        <li key={i} className={`change change-${c.severity.toLowerCase()}`} data-change-type={c.type}>
          <span className={`severity severity-${c.severity.toLowerCase()}`}>{c.severity === "BREAKING" && c.safe ? "BREAKING (unused)" : c.severity}</span>
          <span>{c.message}</span>
          {c.usage ? (
            <div className="change-usage muted">
              {c.usage.requests === 0 ? (
                "No operation used it in the usage window: safe to ship."
              ) : (
                <>
                  {formatCount(c.usage.requests)} requests in the window, by{" "}
                  {c.usage.operations.map((o, j) => (
                    <span key={o.hash}>
                      {j ? ", " : ""}
                      <code className="code">{o.name ?? shortHash(o.hash)}</code>
                      {o.clients.length ? ` (${o.clients.map((cl) => [cl.name || "unknown client", cl.version].filter(Boolean).join(" ")).join(", ")})` : ""}
                    </span>
                  ))}
                </>
              )}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
