#!/usr/bin/env node
'use strict';
// The telemetry isolation benchmark: orbit-router under the federation benchmark's load
// (profile "unique-auth", bench/federation) with its telemetry off, then on — every request
// traced (sampler 1.0) and exported over OTLP/HTTP with its metrics, and usage reported to a
// control plane — while what it sends to is healthy, down (nothing listens), black-holed
// (accepts, never answers) or slow (answers after 2 s). Telemetry must never hurt serving:
// throughput within 5 % of the run with telemetry off, no failed request, drops counted.
//
//   node bench/telemetry/run.js --build build/release --out build/bench-results
//        [--duration 8] [--connections 32] [--scenarios off,healthy,down,black-hole,slow]
//        [--rounds 3]
//
// On a small shared machine one run of a scenario against one run of "off" differs by ±10 %
// from chance alone, so each round runs every scenario once (off first) and the figures are
// medians over the rounds; a scenario's throughput against off is the median of its
// per-round ratios (each against the off run of the same round).
//
// Writes OUT/telemetry.json (read by bench/report.js): per scenario requests/s, CPU seconds
// per 1000 requests, latency percentiles, failures, what the sink received, and the router's
// own telemetry counters from /metrics (exported, dropped, failed).
const fs = require('fs');
const path = require('path');

const here = __dirname;
const root = path.resolve(here, '../..');
const fed = path.join(root, 'bench/federation');

function parseArgs(argv) {
  const a = {
    build: 'build/release', out: 'build/bench-results', duration: 8, connections: 32,
    scenarios: 'off,healthy,down,black-hole,slow', rounds: 3,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--build') a.build = v;
    else if (k === '--out') a.out = v;
    else if (k === '--duration') a.duration = Number(v);
    else if (k === '--connections') a.connections = Number(v);
    else if (k === '--scenarios') a.scenarios = v;
    else if (k === '--rounds') a.rounds = Number(v);
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const out = path.resolve(root, args.out);
const h = require('../federation/harness').init({ root, out, build: args.build, delayMs: 0 });
const sinkBin = path.resolve(root, args.build, 'bench/telemetry/telemetry-sink');
const { startSink, routerConfig } = require('./sink');
const log = (...m) => console.log('[telemetry]', ...m);

const QUERY = fs.readFileSync(path.join(fed, 'query.graphql'), 'utf8');



// The router's own counters about its telemetry (exporter and usage reporter), from /metrics.
async function telemetryCounters(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    const text = await res.text();
    return text.split('\n').filter((l) => /^orbit_router_(telemetry|otlp|usage)_/.test(l));
  } catch {
    return [];
  }
}

async function main() {
  const t0 = Date.now();
  const { child: subgraphs, urls } = await h.startSubgraphs();
  const supergraphFile = h.writeSupergraph(urls);
  const bodyFile = path.join(out, 'telemetry-query.json');
  fs.writeFileSync(bodyFile, JSON.stringify({ query: QUERY }));
  const result = {
    date: new Date().toISOString(),
    method: {
      duration_s: args.duration, connections: args.connections, profile: 'unique-auth',
      rounds: args.rounds,
      telemetry: 'tracing sampler 1.0 + OTLP metrics every 1 s + usage reports every 1 s',
    },
    scenarios: {},
  };
  const runs = {};
  for (let round = 1; round <= args.rounds; round++) {
    for (const scenario of args.scenarios.split(',').filter(Boolean)) {
      let sink = null;
      let sinkUrl = null;
      if (scenario === 'healthy') sink = await startSink(h, sinkBin, 'ok');
      else if (scenario === 'black-hole') sink = await startSink(h, sinkBin, 'black-hole');
      else if (scenario === 'slow') sink = await startSink(h, sinkBin, 'slow');
      if (sink) sinkUrl = sink.url;
      else if (scenario === 'down') sinkUrl = `http://127.0.0.1:${await h.freePort()}`;
      else if (scenario !== 'off') throw new Error(`unknown scenario ${scenario}`);

      const port = await h.freePort();
      const config = path.join(out, `telemetry-router-${scenario}.yaml`);
      fs.writeFileSync(config, routerConfig({ port, supergraph: supergraphFile, sinkUrl }));
      const bin = path.resolve(root, args.build, 'apps/router/orbit-router');
      const router = h.startProcess(`telemetry-router-${scenario}`, bin,
                                    ['--config', config, '--log-level', 'error']);
      const url = `http://127.0.0.1:${port}/graphql`;
      try {
        await h.waitUntilServing(router, url);
        const load = { url, bodyFile, expectBytes: 0, connections: args.connections };
        h.runWrk({ ...load, profile: 'unique-auth', seconds: 2 });  // warm-up
        const r = await h.measure(router, urls, { ...load, profile: 'unique-auth',
                                                  seconds: args.duration });
        r.counters = await telemetryCounters(port);
        if (sink) {
          const s = await fetch(`${sink.url}/stats`).then((x) => x.json()).catch(() => null);
          r.sink = s;
        }
        r.peak_rss_kb = h.peakRssKb(router.pid);
        (runs[scenario] = runs[scenario] || []).push(r);
        log(`round ${round}, ${scenario}: ${r.rps.toFixed(0)} req/s, ` +
            `${r.cpu_s_per_1000.toFixed(3)} CPU s/1000 req, failures ${r.failures}, ` +
            `p99 ${(r.p99_us / 1000).toFixed(1)} ms` +
            (r.sink ? `, sink got ${r.sink.requests} posts` : ''));
      } finally {
        await h.stopProcess(router);
        if (sink) await h.stopProcess(sink.child);
      }
    }
  }
  await h.stopProcess(subgraphs);
  // Medians over the rounds; failures summed; the router's counters and the sink's stats of
  // the last round.
  const { median } = h;
  for (const [name, rs] of Object.entries(runs)) {
    const last = rs[rs.length - 1];
    result.scenarios[name] = {
      ...last,
      rounds: rs.map((r) => ({ rps: r.rps, cpu_s_per_1000: r.cpu_s_per_1000, p99_us: r.p99_us })),
      rps: median(rs.map((r) => r.rps)),
      cpu_s_per_1000: median(rs.map((r) => r.cpu_s_per_1000)),
      p99_us: median(rs.map((r) => r.p99_us)),
      failures: rs.reduce((n, r) => n + r.failures, 0),
    };
    if (runs.off && runs.off.length === rs.length) {
      result.scenarios[name].throughput_vs_off = median(rs.map((r, i) => r.rps / runs.off[i].rps));
    }
  }
  fs.writeFileSync(path.join(out, 'telemetry.json'), JSON.stringify(result, null, 2));
  log(`wrote ${path.relative(process.cwd(), path.join(out, 'telemetry.json'))} in ` +
      `${Math.round((Date.now() - t0) / 1000)} s`);
}

main().catch((e) => {
  console.error('[telemetry]', e.message);
  process.exit(1);
});
