import { useState, type FormEvent } from "react";
import { Navigate, useSearchParams } from "react-router-dom";
import { ErrorView } from "../components/states";
import { ApiError } from "../lib/errors";
import { useAction } from "../lib/useAction";
import { useSession } from "../session";

// Sign-in with email and password (people) or an API key (machines, scripts).
export function SignIn() {
  const { session, signIn } = useSession();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<"password" | "apiKey">(params.get("mode") === "apikey" ? "apiKey" : "password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [apiKey, setApiKey] = useState("");
  const { busy, error, run } = useAction();

  const next = params.get("next");
  const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/graphs";
  if (session) return <Navigate to={target} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(() => signIn(mode === "password" ? { email: email.trim(), password } : { apiKey: apiKey.trim() }));
  };

  return (
    <div className="signin-page">
      <form className="card signin" onSubmit={submit} aria-label="Sign in">
        <h1>
          <span className="brand-mark" aria-hidden="true">◎</span> Orbit Studio
        </h1>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === "password"} className={mode === "password" ? "active" : ""} onClick={() => setMode("password")}>
            Email and password
          </button>
          <button type="button" role="tab" aria-selected={mode === "apiKey"} className={mode === "apiKey" ? "active" : ""} onClick={() => setMode("apiKey")}>
            API key
          </button>
        </div>
        {mode === "password" ? (
          <>
            <label>
              Email
              <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
            </label>
            <label>
              Password
              <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} maxLength={1024} />
            </label>
          </>
        ) : (
          <label>
            API key
            <input type="password" name="apiKey" autoComplete="off" placeholder="orbit_…" required value={apiKey} onChange={(e) => setApiKey(e.target.value)} maxLength={200} />
          </label>
        )}
        {error instanceof ApiError && error.status === 401 ? (
          <div className="state state-error" role="alert" data-testid="error">
            <strong>{mode === "password" ? "Wrong email or password" : "Unknown, malformed or deleted API key"}</strong>
          </div>
        ) : error ? (
          <ErrorView error={error} />
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
