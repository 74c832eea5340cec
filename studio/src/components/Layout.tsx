import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { useSession } from "../session";

export function Layout() {
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  if (!session) return null;
  const who = session.user?.email ?? (session.apiKey ? `API key ${session.apiKey.name}` : "unknown");
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/graphs" className="brand">
          <span className="brand-mark" aria-hidden="true">◎</span> Orbit Studio
        </NavLink>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/graphs">Graphs</NavLink>
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <div className="whoami">
          <span className="org" title="organization">{session.organization.name}</span>
          <span className="user" data-testid="whoami">{who}</span>
          <span className={`role role-${session.role}`} data-testid="role">{session.role}</span>
          <button
            type="button"
            className="btn btn-small btn-quiet"
            onClick={() => {
              void signOut().finally(() => navigate("/signin"));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}
