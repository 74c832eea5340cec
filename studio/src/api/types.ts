// Shapes of the control plane's /v1 answers that Studio reads (docs/api.md, docs/studio.md).
// Clients ignore fields they do not know; fields marked optional may be absent on older servers.

export type Role = "admin" | "developer" | "viewer";

export interface Session {
  user: { id: string; email: string; role: Role } | null;
  apiKey: { id: string; name: string; role: Role } | null;
  organization: { id: string; name: string };
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Namespace {
  name: string;
  createdAt: string;
}

export interface CompositionRef {
  id: number;
  status?: "succeeded" | "failed";
  createdAt: string;
  artifactVersion: string | null;
}

export interface Graph {
  name: string;
  namespace: string;
  routingUrl: string;
  labelMatchers: string[];
  createdAt: string;
  updatedAt: string;
  cdnPath: string;
  latestComposition: CompositionRef | null;
  servedComposition: CompositionRef | null;
}

export interface SchemaVersionRef {
  version: number;
  sha256: string;
  createdAt: string;
}

export interface Subgraph {
  name: string;
  namespace: string;
  routingUrl: string;
  subscriptionUrl: string | null;
  subscriptionProtocol: string;
  labels: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  latestVersion: SchemaVersionRef | null;
}

export interface SchemaVersion extends SchemaVersionRef {
  sdl: string;
}

export interface Location {
  subgraph?: string;
  line?: number;
  column?: number;
}

export interface Diagnostic {
  code: string;
  message: string;
  locations?: Location[];
}

export interface Composition {
  id: number;
  graph: string;
  namespace: string;
  status: "succeeded" | "failed";
  createdAt: string;
  trigger: string;
  subgraphs: { name: string; version: number }[];
  errors: Diagnostic[];
  hints: Diagnostic[];
  artifactVersion: string | null;
  supergraphSdl?: string | null;
}

export interface Change {
  type: string;
  severity: "BREAKING" | "DANGEROUS" | "SAFE";
  path: string;
  message: string;
  breaking: boolean;
  usage?: {
    requests: number;
    operations: { hash: string; name: string | null; clients: { name: string; version: string }[] }[];
  };
  safe?: boolean;
}

export interface Changelog {
  from: number;
  to: number;
  changes: Change[];
}

export interface Check {
  id: number | string;
  createdAt: string;
  ok: boolean;
  subgraph?: string;
  namespace?: string;
  usageWindowDays?: number;
  compositions: { graph: string; status: "succeeded" | "failed"; errors: Diagnostic[]; hints: Diagnostic[] }[];
  changes: Change[];
  breakingChanges: Change[];
}

export interface UsagePoint {
  time: string;
  requests: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface Usage {
  from: string;
  to: string;
  step: number;
  series: UsagePoint[];
  totals: { requests: number; errors: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };
  operations: { hash: string; name: string | null; type: string; requests: number; errors: number; p95Ms: number | null }[];
  clients: { name: string; version: string; requests: number; errors: number }[];
}

export interface RouterInstance {
  id: string;
  host: string;
  orbitVersion: string;
  configVersion: string;
  firstSeen: string;
  lastSeen: string;
  // How the control plane knows of it: its polls of the CDN, its usage reports, or both.
  seenVia?: ("cdn" | "usage")[];
  pollIntervalSeconds?: number | null;
  reportIntervalSeconds?: number | null;
  staleAfter?: string;
  status: "healthy" | "stale";
}

export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface GraphToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string | number;
  time: string;
  actor: { type: "user" | "apiKey"; id: string; name: string };
  method: string;
  path: string;
  status: number;
  resource: string | null;
  summary: string;
}

export interface FieldUsage {
  coordinate: string;
  requests: number;
  operations: number;
  clients: number;
  lastUsed: string;
}
