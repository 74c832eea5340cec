import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { Layout } from "./components/Layout";
import { ErrorView, Loading } from "./components/states";
import { SessionProvider, useSession } from "./session";
import { SignIn } from "./pages/SignIn";
import { GraphsPage } from "./pages/Graphs";
import { GraphLayout } from "./pages/GraphLayout";
import { OverviewPage } from "./pages/Overview";
import { SubgraphsPage, SubgraphPage } from "./pages/Subgraphs";
import { CompositionsPage, CompositionPage } from "./pages/Compositions";
import { ChangelogPage } from "./pages/Changelog";
import { ChecksPage, CheckPage } from "./pages/Checks";
import { RoutersPage } from "./pages/Routers";
import { SettingsPage } from "./pages/Settings";
import { NotFound } from "./pages/NotFound";

// Heavy pages load on demand: the schema page (graphql-js), analytics (charts), the playground (GraphiQL).
const SchemaPage = lazy(() => import("./pages/Schema"));
const AnalyticsPage = lazy(() => import("./pages/Analytics"));
const PlaygroundPage = lazy(() => import("./pages/Playground"));

function RequireSession({ children }: { children: React.ReactNode }) {
  const { session, loading, error, refresh } = useSession();
  const location = useLocation();
  if (loading) return <Loading label="Checking your session…" />;
  if (error) return <div className="center-page"><ErrorView error={error} onRetry={() => void refresh()} /></div>;
  if (!session) {
    const next = location.pathname + location.search;
    return <Navigate to={`/signin${next && next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`} replace />;
  }
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/signin" element={<SignIn />} />
        <Route
          element={
            <RequireSession>
              <Layout />
            </RequireSession>
          }
        >
          <Route index element={<Navigate to="/graphs" replace />} />
          <Route path="graphs" element={<GraphsPage />} />
          <Route path="graphs/:ns/:graph" element={<GraphLayout />}>
            <Route index element={<OverviewPage />} />
            <Route path="subgraphs" element={<SubgraphsPage />} />
            <Route path="subgraphs/:sub" element={<SubgraphPage />} />
            <Route path="schema" element={<SchemaPage />} />
            <Route path="compositions" element={<CompositionsPage />} />
            <Route path="compositions/:id" element={<CompositionPage />} />
            <Route path="changelog" element={<ChangelogPage />} />
            <Route path="checks" element={<ChecksPage />} />
            <Route path="checks/:id" element={<CheckPage />} />
            <Route path="analytics" element={<AnalyticsPage />} />
            <Route path="routers" element={<RoutersPage />} />
            <Route path="playground" element={<PlaygroundPage />} />
          </Route>
          <Route path="settings" element={<Navigate to="/settings/account" replace />} />
          <Route path="settings/:section" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}
