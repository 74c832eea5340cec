import type { ReactNode } from "react";
import { readableError } from "../lib/errors";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty" data-testid="empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const r = readableError(error);
  return (
    <div className={`state state-error${r.unsupported ? " state-unsupported" : ""}`} role="alert" data-testid="error">
      <strong>{r.title}</strong>
      {r.detail && r.detail !== r.title ? <div className="error-detail">{r.detail}</div> : null}
      {onRetry && !r.unsupported ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

// Renders loading / error / empty / content for one request's state.
export function AsyncView<T>({
  state,
  empty,
  isEmpty,
  children,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorView error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty && isEmpty(state.data) && empty) return <>{empty}</>;
  return <>{children(state.data)}</>;
}
