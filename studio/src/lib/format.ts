// Formatting of numbers, durations and times as Studio shows them.

// A latency in milliseconds: "0.42 ms", "12.3 ms", "250 ms", "1.25 s", "2 min 5 s"; "—" for none.
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "—";
  if (ms === 0) return "0 ms";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${trim(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${trim(s.toFixed(2))} s`;
  const minutes = Math.floor(s / 60);
  const rest = Math.round(s - minutes * 60);
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

function trim(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

// A count: 999, 1.2k, 12k, 1.5M.
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  if (abs < 10_000) return `${trim((n / 1000).toFixed(1))}k`;
  if (abs < 1_000_000) return `${Math.round(n / 1000)}k`;
  if (abs < 10_000_000) return `${trim((n / 1_000_000).toFixed(1))}M`;
  return `${Math.round(n / 1_000_000)}M`;
}

// A share as a percentage: 0 → "0%", 0.0004 → "0.04%", 0.123 → "12.3%", none → "—".
export function formatPercent(part: number, whole: number): string {
  if (!whole || !Number.isFinite(part) || !Number.isFinite(whole)) return "—";
  const p = (part / whole) * 100;
  if (p === 0) return "0%";
  if (p < 0.01) return "<0.01%";
  if (p < 1) return `${trim(p.toFixed(2))}%`;
  if (p < 10) return `${trim(p.toFixed(1))}%`;
  return `${Math.round(p)}%`;
}

// Requests per second, from a count over `seconds`.
export function formatRate(requests: number, seconds: number): string {
  if (!seconds || seconds <= 0 || !Number.isFinite(requests)) return "—";
  const r = requests / seconds;
  if (r === 0) return "0 req/s";
  if (r < 0.01) return `${trim((r * 60).toFixed(2))} req/min`;
  if (r < 10) return `${trim(r.toFixed(2))} req/s`;
  return `${formatCount(r)} req/s`;
}

// "just now", "5 s ago", "3 min ago", "2 h ago", "4 days ago", or in the future "in 2 h";
// older than 30 days: the date. `now` is for tests.
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  const diff = Math.round((now - t) / 1000);
  const future = diff < 0;
  const s = Math.abs(diff);
  let text: string;
  if (s < 5) return "just now";
  if (s < 60) text = `${s} s`;
  else if (s < 3600) text = `${Math.floor(s / 60)} min`;
  else if (s < 86_400) text = `${Math.floor(s / 3600)} h`;
  else if (s < 30 * 86_400) {
    const d = Math.floor(s / 86_400);
    text = `${d} ${d === 1 ? "day" : "days"}`;
  } else return formatDate(iso);
  return future ? `in ${text}` : `${text} ago`;
}

// "2026-11-27 04:15:00 UTC": unambiguous, sortable, the same for every reader.
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "—";
  return `${t.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

// Latency percentile label: p50/p95/p99 from 0.5/0.95/0.99.
export function percentileLabel(q: number): string {
  return `p${trim((q * 100).toFixed(1))}`;
}

// The q-quantile (0..1) of a latency histogram in the usage report's shape: `bounds` are bucket
// upper bounds in ms, `counts` one per bound plus the last (+Inf). Linear within a bucket; the
// +Inf bucket reports its lower bound. null for an empty histogram.
export function histogramQuantile(bounds: number[], counts: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0 || q < 0 || q > 1) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? null;
      const upper = bounds[i];
      return lower + ((upper - lower) * (rank - seen)) / c;
    }
    seen += c;
  }
  return bounds[bounds.length - 1] ?? null;
}

export function shortHash(hash: string, n = 10): string {
  return hash.length > n ? hash.slice(0, n) : hash;
}

// Time ranges of the analytics page: label, length and the series' step.
export interface TimeRange {
  key: string;
  label: string;
  seconds: number;
  step: number;
}

export const TIME_RANGES: TimeRange[] = [
  { key: "15m", label: "Last 15 minutes", seconds: 900, step: 60 },
  { key: "1h", label: "Last hour", seconds: 3600, step: 60 },
  { key: "6h", label: "Last 6 hours", seconds: 6 * 3600, step: 300 },
  { key: "24h", label: "Last 24 hours", seconds: 86_400, step: 900 },
  { key: "7d", label: "Last 7 days", seconds: 7 * 86_400, step: 3 * 3600 },
  { key: "30d", label: "Last 30 days", seconds: 30 * 86_400, step: 12 * 3600 },
];

export function timeRange(key: string | null | undefined): TimeRange {
  return TIME_RANGES.find((r) => r.key === key) ?? TIME_RANGES[1];
}

// from/to of a range ending now, aligned down to the step so that repeated loads hit the same buckets.
export function rangeWindow(range: TimeRange, now: number = Date.now()): { from: string; to: string } {
  const stepMs = range.step * 1000;
  const to = Math.ceil(now / stepMs) * stepMs;
  return { from: new Date(to - range.seconds * 1000).toISOString(), to: new Date(to).toISOString() };
}
