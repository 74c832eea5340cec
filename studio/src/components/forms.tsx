import type { FormEvent, ReactNode } from "react";
import type { Role } from "../api/types";
import type { Action } from "../lib/useAction";
import { ErrorView } from "./states";

export const ROLES: Role[] = ["viewer", "developer", "admin"];

// A card with a form: title, fields in a grid, the action's error, and a submit button that is
// disabled while the action runs. `onSubmit` gets no event: the default is already prevented.
export function FormCard({
  label,
  title,
  note,
  action,
  submit,
  busySubmit,
  onSubmit,
  grid = true,
  children,
  extraButtons,
}: {
  label: string;
  title: string;
  note?: ReactNode;
  action: Action;
  submit: string;
  busySubmit?: string;
  onSubmit: () => void;
  grid?: boolean;
  children: ReactNode;
  extraButtons?: ReactNode;
}) {
  const handle = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="card form" onSubmit={handle} aria-label={label}>
      <h2>{title}</h2>
      {note ? <p className="muted">{note}</p> : null}
      {grid ? <div className="form-grid">{children}</div> : children}
      {action.error ? <ErrorView error={action.error} /> : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" data-mutating="" disabled={action.busy}>
          {action.busy && busySubmit ? busySubmit : submit}
        </button>
        {extraButtons}
      </div>
    </form>
  );
}

// The name of a resource (graph, API key, graph token): the API's name rule.
export function NameField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <label>
      Name
      <input name="name" required pattern="[a-z0-9][a-z0-9_\-]{0,30}" title="1–31 characters a-z 0-9 _ -" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

// A role picker; `mutating` when choosing changes something at once (not a form field).
export function RoleSelect({ value, onChange, label, disabled, mutating }: { value: Role; onChange: (r: Role) => void; label?: string; disabled?: boolean; mutating?: boolean }) {
  return (
    <select
      name={mutating ? undefined : "role"}
      aria-label={label}
      value={value}
      disabled={disabled}
      data-mutating={mutating ? "" : undefined}
      onChange={(e) => onChange(e.target.value as Role)}
    >
      {ROLES.map((r) => (
        <option key={r}>{r}</option>
      ))}
    </select>
  );
}
