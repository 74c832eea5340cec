import { useEffect, useState, type ReactNode } from "react";
import { formatDate, relativeTime } from "../lib/format";

export function Time({ iso }: { iso: string | null | undefined }) {
  const [, setNow] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setNow((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!iso) return <span className="muted">never</span>;
  return (
    <time dateTime={iso} title={formatDate(iso)}>
      {relativeTime(iso)}
    </time>
  );
}

export type Status = "succeeded" | "failed" | "healthy" | "stale" | "none" | "revoked" | "active" | "ok" | "expired";

const STATUS_TEXT: Record<Status, string> = {
  succeeded: "Composed",
  failed: "Failed",
  healthy: "Healthy",
  stale: "Stale",
  none: "Not composed",
  revoked: "Revoked",
  active: "Active",
  ok: "Passed",
  expired: "Expired",
};

export function StatusBadge({ status, text }: { status: Status; text?: string }) {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {text ?? STATUS_TEXT[status]}
    </span>
  );
}

export function Tag({ children }: { children: ReactNode }) {
  return <span className="tag">{children}</span>;
}

// A tiny SVG line of a series (no axes): the request-rate sparkline of the graphs list.
export function Sparkline({ values, width = 120, height = 28, label }: { values: number[]; width?: number; height?: number; label?: string }) {
  if (values.length < 2) return <span className="muted">—</span>;
  const max = Math.max(...values, 1);
  const stepX = width / (values.length - 1);
  const pts = values.map((v, i) => `${(i * stepX).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label ?? "request rate"}>
      <polyline points={`0,${height} ${pts.join(" ")} ${width},${height}`} className="sparkline-area" />
      <polyline points={pts.join(" ")} className="sparkline-line" fill="none" />
    </svg>
  );
}

// A secret shown once (API key, graph token): copy button, and a warning that it is not shown again.
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret-once" role="dialog" aria-label={label}>
      <strong>{label}</strong>
      <p className="muted">Copy it now: it is shown only once.</p>
      <code className="secret" data-testid="secret">
        {secret}
      </code>
      <div className="row">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" className="btn btn-small btn-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

// A button that asks once more before a destructive action.
export function ConfirmButton({
  children,
  confirm,
  onConfirm,
  busy,
}: {
  children: ReactNode;
  confirm: string;
  onConfirm: () => void;
  busy?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (asking)
    return (
      <span className="confirm">
        <span>{confirm}</span>
        <button type="button" className="btn btn-small btn-danger" data-mutating="" onClick={() => { setAsking(false); onConfirm(); }}>
          Yes
        </button>
        <button type="button" className="btn btn-small btn-quiet" onClick={() => setAsking(false)}>
          No
        </button>
      </span>
    );
  return (
    <button type="button" className="btn btn-small btn-danger-quiet" data-mutating="" disabled={busy} onClick={() => setAsking(true)}>
      {children}
    </button>
  );
}

export function Diagnostics({ items, kind }: { items: { code: string; message: string; locations?: { subgraph?: string; line?: number; column?: number }[] }[]; kind: "error" | "hint" }) {
  if (items.length === 0) return null;
  return (
    <ul className={`diagnostics diagnostics-${kind}`}>
      {items.map((d, i) => (
        <li key={i} data-testid={`composition-${kind}`}>
          <code className="code">{d.code}</code> <span>{d.message}</span>
          {d.locations && d.locations.length > 0 ? (
            <span className="muted">
              {" "}
              ({d.locations.map((l) => [l.subgraph, l.line ? `line ${l.line}` : null, l.column ? `column ${l.column}` : null].filter(Boolean).join(" ")).join("; ")})
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
