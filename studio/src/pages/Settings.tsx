import { useState } from "react";
import { NavLink, useParams, useSearchParams } from "react-router-dom";
import { api, listAll, paths } from "../api/client";
import type { ApiKey, AuditEntry, Graph, GraphToken, Namespace, Page, Role, User } from "../api/types";
import { ConfirmButton, SecretOnce, StatusBadge, Time } from "../components/bits";
import { FormCard, NameField, RoleSelect } from "../components/forms";
import { AsyncView, Empty, ErrorView, Loading } from "../components/states";
import { useAction } from "../lib/useAction";
import { useApi } from "../lib/useApi";
import { can, useSession } from "../session";
import { NotFound } from "./NotFound";

const SECTIONS: [string, string, boolean][] = [
  ["account", "Your account", false],
  ["users", "Users", true],
  ["api-keys", "API keys", true],
  ["tokens", "Graph tokens", true],
  ["audit-log", "Audit log", true],
];

export function SettingsPage() {
  const { section = "account" } = useParams();
  const { session } = useSession();
  const admin = can(session?.role, "admin");
  const known = SECTIONS.find(([k]) => k === section);
  return (
    <section className="page">
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <nav className="tabs" aria-label="Settings">
        {SECTIONS.filter(([, , adminOnly]) => admin || !adminOnly).map(([k, label]) => (
          <NavLink key={k} to={`/settings/${k}`}>
            {label}
          </NavLink>
        ))}
      </nav>
      {!known ? (
        <NotFound />
      ) : known[2] && !admin ? (
        <Empty title="Only admins manage this">Your role is {session?.role}.</Empty>
      ) : section === "account" ? (
        <Account />
      ) : section === "users" ? (
        <Users />
      ) : section === "api-keys" ? (
        <ApiKeys />
      ) : section === "tokens" ? (
        <Tokens />
      ) : (
        <AuditLog />
      )}
    </section>
  );
}

function Account() {
  const { session } = useSession();
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const action = useAction();
  if (!session) return null;
  const submit = async () => {
    if (!session.user) return;
    setDone(false);
    if (await action.run(() => api(paths.user(session.user!.id), { method: "PATCH", body: { password } }))) {
      setPassword("");
      setDone(true);
    }
  };
  return (
    <div className="stack">
      <dl className="facts card">
        <dt>Organization</dt>
        <dd>{session.organization.name}</dd>
        <dt>Signed in as</dt>
        <dd>{session.user ? session.user.email : `API key ${session.apiKey?.name ?? ""}`}</dd>
        <dt>Role</dt>
        <dd>{session.role}</dd>
        <dt>Session ends</dt>
        <dd>
          <Time iso={session.expiresAt} />
        </dd>
      </dl>
      {session.user && session.role !== "viewer" ? (
        <FormCard label="Change password" title="Change your password" action={action} submit="Change password" onSubmit={() => void submit()} grid={false}>
          <label>
            New password (at least 12 characters)
            <input type="password" autoComplete="new-password" minLength={12} maxLength={1024} required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {done ? <div className="state state-ok">Password changed.</div> : null}
        </FormCard>
      ) : session.user ? (
        <p className="muted">An admin of your organization sets viewers' passwords.</p>
      ) : null}
    </div>
  );
}

function Users() {
  const { session } = useSession();
  const state = useApi((signal) => listAll<User>(paths.users, 10, signal), []);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const action = useAction();
  const change = async (f: () => Promise<unknown>) => {
    const ok = await action.run(f);
    state.reload();
    return ok;
  };
  const create = async () => {
    if (await change(() => api(paths.users, { method: "POST", body: { email: email.trim(), password, role } }))) {
      setEmail("");
      setPassword("");
    }
  };
  return (
    <div className="stack">
      <FormCard label="New user" title="Add a user" action={action} submit="Add user" onSubmit={() => void create()}>
        <label>
          Email
          <input type="email" name="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password (at least 12 characters)
          <input type="password" name="password" autoComplete="new-password" required minLength={12} maxLength={1024} value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          Role
          <RoleSelect value={role} onChange={setRole} />
        </label>
      </FormCard>
      <AsyncView state={state} isEmpty={(d) => d.length === 0} empty={<Empty title="No users" />}>
        {(users) => (
          <table className="table" data-testid="users">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
                <th>Created</th>
                <th>Last sign-in</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.email}>
                  <td>{u.email}</td>
                  <td>
                    <RoleSelect
                      label={`Role of ${u.email}`}
                      mutating
                      value={u.role}
                      disabled={action.busy}
                      onChange={(r) => void change(() => api(paths.user(u.id), { method: "PATCH", body: { role: r } }))}
                    />
                  </td>
                  <td>
                    <Time iso={u.createdAt} />
                  </td>
                  <td>
                    <Time iso={u.lastLoginAt} />
                  </td>
                  <td className="actions">
                    {u.id !== session?.user?.id ? (
                      <ConfirmButton confirm={`Delete ${u.email}?`} busy={action.busy} onConfirm={() => void change(() => api(paths.user(u.id), { method: "DELETE" }))}>
                        Delete
                      </ConfirmButton>
                    ) : (
                      <span className="muted">you</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}

// A resource created with a secret shown once (API key, graph token): its form, the secret,
// and the list.
function useCreateWithSecret(reload: () => void) {
  const action = useAction();
  const [secret, setSecret] = useState<string | null>(null);
  const create = (f: () => Promise<{ secret: string }>) =>
    action.run(async () => {
      setSecret((await f()).secret);
      reload();
    });
  const remove = (f: () => Promise<unknown>) =>
    action.run(async () => {
      await f();
      reload();
    });
  return { action, secret, clearSecret: () => setSecret(null), create, remove };
}

function ApiKeys() {
  const { session } = useSession();
  const state = useApi((signal) => listAll<ApiKey>(paths.apiKeys, 10, signal), []);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const keys = useCreateWithSecret(state.reload);
  const create = async () => {
    if (await keys.create(() => api<{ apiKey: ApiKey; secret: string }>(paths.apiKeys, { method: "POST", body: { name: name.trim(), role } }))) setName("");
  };
  return (
    <div className="stack">
      <FormCard label="New API key" title="Create an API key" action={keys.action} submit="Create key" onSubmit={() => void create()}>
        <NameField value={name} onChange={setName} />
        <label>
          Role
          <RoleSelect value={role} onChange={setRole} />
        </label>
      </FormCard>
      {keys.secret ? <SecretOnce label="New API key" secret={keys.secret} onDone={keys.clearSecret} /> : null}
      <AsyncView state={state} isEmpty={(d) => d.length === 0} empty={<Empty title="No API keys" />}>
        {(list) => (
          <table className="table" data-testid="api-keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Id</th>
                <th>Role</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id} data-key={k.name}>
                  <td>{k.name}</td>
                  <td>
                    <code className="code">{k.id}</code>
                  </td>
                  <td>{k.role}</td>
                  <td>
                    <Time iso={k.createdAt} />
                  </td>
                  <td>
                    <Time iso={k.lastUsedAt} />
                  </td>
                  <td className="actions">
                    {k.id !== session?.apiKey?.id ? (
                      <ConfirmButton confirm={`Delete key ${k.name}? It stops working at once.`} onConfirm={() => void keys.remove(() => api(paths.apiKey(k.id), { method: "DELETE" }))}>
                        Delete
                      </ConfirmButton>
                    ) : (
                      <span className="muted">this session</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}

function Tokens() {
  const [params, setParams] = useSearchParams();
  const graphs = useApi(async (signal) => {
    const namespaces = await listAll<Namespace>(paths.namespaces, 10, signal);
    return (await Promise.all(namespaces.map((ns) => listAll<Graph>(paths.graphs(ns.name), 10, signal)))).flat();
  }, []);
  const selected = params.get("graph") ?? (graphs.data?.[0] ? `${graphs.data[0].namespace}/${graphs.data[0].name}` : null);
  return (
    <AsyncView state={graphs} isEmpty={(d) => d.length === 0} empty={<Empty title="No graph yet">Graph tokens belong to a graph: create one first.</Empty>}>
      {(list) => (
        <div className="stack">
          <label className="inline">
            Graph{" "}
            <select aria-label="Graph" value={selected ?? ""} onChange={(e) => setParams({ graph: e.target.value }, { replace: true })}>
              {list.map((g) => (
                <option key={`${g.namespace}/${g.name}`} value={`${g.namespace}/${g.name}`}>
                  {g.namespace}/{g.name}
                </option>
              ))}
            </select>
          </label>
          {selected ? <GraphTokens key={selected} ns={selected.split("/")[0]} graph={selected.split("/")[1]} /> : null}
        </div>
      )}
    </AsyncView>
  );
}

function GraphTokens({ ns, graph }: { ns: string; graph: string }) {
  const state = useApi((signal) => listAll<GraphToken>(paths.tokens(ns, graph), 10, signal), [ns, graph]);
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const tokens = useCreateWithSecret(state.reload);
  const create = async () => {
    const body: { name: string; expiresIn?: number } = { name: name.trim() };
    if (days.trim()) body.expiresIn = Math.round(Number(days) * 86_400);
    if (await tokens.create(() => api<{ token: GraphToken; secret: string }>(paths.tokens(ns, graph), { method: "POST", body }))) {
      setName("");
      setDays("");
    }
  };
  const revoke = (id: string) => void tokens.remove(() => api(paths.token(ns, graph, id), { method: "DELETE" }));
  return (
    <div className="stack">
      <FormCard
        label="New graph token"
        title="Create a graph token"
        note={`Routers use it to fetch ${ns}/${graph}'s config from the CDN and to report usage.`}
        action={tokens.action}
        submit="Create token"
        onSubmit={() => void create()}
      >
        <NameField value={name} onChange={setName} />
        <label>
          Expires in days (empty: never)
          <input name="expiresInDays" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
      </FormCard>
      {tokens.secret ? <SecretOnce label="New graph token" secret={tokens.secret} onDone={tokens.clearSecret} /> : null}
      <AsyncView state={state} isEmpty={(d) => d.length === 0} empty={<Empty title="No graph token yet" />}>
        {(list) => (
          <table className="table" data-testid="tokens">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Id</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((t) => {
                const expired = !t.revokedAt && t.expiresAt !== null && Date.parse(t.expiresAt) < Date.now();
                return (
                  <tr key={t.id} data-token={t.name}>
                    <td>{t.name}</td>
                    <td>{t.revokedAt ? <StatusBadge status="revoked" /> : expired ? <StatusBadge status="expired" /> : <StatusBadge status="active" />}</td>
                    <td>
                      <Time iso={t.createdAt} />
                    </td>
                    <td>{t.expiresAt ? <Time iso={t.expiresAt} /> : <span className="muted">never</span>}</td>
                    <td>
                      <code className="code small">{t.id}</code>
                    </td>
                    <td className="actions">
                      {t.revokedAt ? (
                        <span className="muted">
                          revoked <Time iso={t.revokedAt} />
                        </span>
                      ) : (
                        <ConfirmButton confirm={`Revoke ${t.name}? Routers using it stop receiving config.`} onConfirm={() => revoke(t.id)}>
                          Revoke
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}

function AuditLog() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];
  const state = useApi((signal) => api<Page<AuditEntry>>(paths.auditLog, { query: { limit: 50, cursor }, signal }), [cursor]);
  return (
    <div className="stack">
      {state.error ? (
        <ErrorView error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : state.data.items.length === 0 ? (
        <Empty title="No change recorded yet" />
      ) : (
        <>
          <table className="table" data-testid="audit-log">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>Request</th>
                <th className="num">Status</th>
              </tr>
            </thead>
            <tbody>
              {state.data.items.map((a) => (
                <tr key={a.id} className={a.status >= 400 ? "row-failed" : ""}>
                  <td>
                    <Time iso={a.time} />
                  </td>
                  <td>
                    {a.actor.name} <span className="muted">({a.actor.type === "apiKey" ? "API key" : "user"})</span>
                  </td>
                  <td>
                    {a.summary}
                    {a.resource ? <div className="muted small">{a.resource}</div> : null}
                  </td>
                  <td>
                    <code className="code small">
                      {a.method} {a.path}
                    </code>
                  </td>
                  <td className="num">{a.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            {cursors.length > 1 ? (
              <button type="button" className="btn btn-small" onClick={() => setCursors(cursors.slice(0, -1))}>
                Newer
              </button>
            ) : null}
            {state.data.nextCursor ? (
              <button type="button" className="btn btn-small" onClick={() => setCursors([...cursors, state.data!.nextCursor])}>
                Older
              </button>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
