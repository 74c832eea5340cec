'use strict';
// The "Telemetry never hurts serving" section of docs/benchmarks.md, from
// bench/telemetry/run.js (telemetry.json). Empty when it is missing. Used by bench/report.js.
const fs = require('fs');
const path = require('path');

const LABELS = {
  off: 'telemetry off',
  healthy: 'on, sink healthy',
  down: 'on, sink down (connection refused)',
  'black-hole': 'on, sink black-holed (accepts, never answers)',
  slow: 'on, sink slow (answers after 2 s)',
};

// The router's counters of what it could not send, summed by name.
function drops(counters) {
  const sums = {};
  for (const line of counters || []) {
    const m = /^(orbit_router_\w+?)(?:\{([^}]*)\})? ([0-9.e+]+)$/.exec(line);
    if (!m) continue;
    const result = /result="(\w+)"/.exec(m[2] || '');
    const signal = /signal="(\w+)"/.exec(m[2] || '');
    const name = m[1].replace(/^orbit_router_/, '').replace(/_total$/, '');
    const what = result ? result[1] : (/dropped|failures|rejected/.test(name) ? name : null);
    if (!what || !/dropped|failed|failures|rejected/.test(what)) continue;
    const key = `${name}${signal ? ' ' + signal[1] : ''}${result ? ' ' + what : ''}`;
    sums[key] = (sums[key] || 0) + Number(m[3]);
  }
  const parts = Object.entries(sums).filter(([, v]) => v > 0).map(([k, v]) => `${k}: ${v}`);
  return parts.length ? parts.join(', ') : '0';
}

// "; telemetry off alone ran at 1300–1680 requests/s across the rounds" (empty without rounds).
function offRange(t) {
  const rounds = t.scenarios.off && t.scenarios.off.rounds;
  if (!rounds || rounds.length < 2) return '';
  const rps = rounds.map((r) => r.rps);
  return ` (telemetry off alone ran at ${Math.min(...rps).toFixed(0)}–${Math.max(...rps).toFixed(0)} requests/s across the rounds)`;
}

function telemetrySection(resultsDir) {
  const file = path.join(resultsDir, 'telemetry.json');
  if (!fs.existsSync(file)) return '';
  const t = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rows = [];
  for (const [name, r] of Object.entries(t.scenarios)) {
    const ratio = r.throughput_vs_off;
    const within = name === 'off' ? '' : (ratio >= 0.95 ? ' ✔' : ' ✘');
    rows.push(`| ${LABELS[name] || name} | ${r.rps.toFixed(0)} | ${ratio ? (ratio * 100).toFixed(1) + ' %' + within : '–'} | ` +
              `${r.cpu_s_per_1000.toFixed(3)} | ${(r.p99_us / 1000).toFixed(1)} | ${r.failures} | ` +
              `${r.sink ? r.sink.requests : '–'} | ${name === 'off' ? '–' : drops(r.counters)} |`);
  }
  return `
## Telemetry never hurts serving

\`bench/telemetry/run.js\`: orbit-router under profile (b) of the federation benchmark
(${t.method.connections} connections, ${t.method.duration_s} s per run after a 2 s warm-up), with
its telemetry off and with ${t.method.telemetry} — sent to \`telemetry-sink\`, which
answers at once, is not there, accepts and never answers, or answers after 2 s. Target:
throughput within 5 % of the run with telemetry off and no failed request, whatever the sink
does; what could not be sent is dropped and counted (last column, from the router's
\`/metrics\`). ${t.method.rounds > 1 ? `Every scenario ran ${t.method.rounds} times, in rounds (off first in each):
the figures are medians, and "vs off" is the median of each round's ratio to that round's off
run: one run against another differs by chance on a small shared machine${offRange(t)}.` : ''}

| run | requests/s | vs off | CPU s / 1000 req | p99 ms | failed requests | posts the sink got | dropped / failed (router's counters) |
|---|---:|---:|---:|---:|---:|---:|---|
${rows.join('\n')}
`;
}

module.exports = { telemetrySection };
