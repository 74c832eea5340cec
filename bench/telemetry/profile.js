#!/usr/bin/env node
'use strict';
// Where the router's telemetry CPU goes, deterministically: orbit-router under callgrind serves
// a fixed number of benchmark requests (bench/federation's query, each with its own
// Authorization header as in the isolation benchmark) with telemetry off, then with every
// request traced + OTLP metrics + usage reports sent to a telemetry-sink (ok, slow, black-hole
// or down), and prints instructions per request, total and for the telemetry functions
// (callgrind_annotate --inclusive). The router's start-up is in both runs and cancels out in
// the difference only roughly: use enough requests (default 300).
//
// Under callgrind the router serves a few requests a second instead of hundreds, so work done
// per second (metric snapshots, usage reports, the tracing interval's small batches) would
// weigh a hundred times too much per request: the intervals are set to 10 minutes here, span
// batches leave full (512 spans) as under load, and the last ones at shutdown. The per-second
// work is the same whatever the load; see docs/observability.md for its figures.
//
//   node bench/telemetry/profile.js --build build/release --out build/telemetry-profile
//        [--requests 300] [--scenarios off,healthy,slow,black-hole,down]
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const here = __dirname;
const root = path.resolve(here, '../..');
const fed = path.join(root, 'bench/federation');

const a = { build: 'build/release', out: 'build/telemetry-profile', requests: 300,
            scenarios: 'off,healthy,slow,black-hole,down' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const k = argv[i].replace(/^--/, '');
  if (!(k in a)) throw new Error(`unknown argument ${argv[i]}`);
  a[k] = k === 'requests' ? Number(argv[i + 1]) : argv[i + 1];
}
const out = path.resolve(root, a.out);
fs.mkdirSync(out, { recursive: true });
const h = require('../federation/harness').init({ root, out, build: a.build, delayMs: 0 });
const sinkBin = path.resolve(root, a.build, 'bench/telemetry/telemetry-sink');
const { startSink, routerConfig } = require('./sink');
const QUERY = fs.readFileSync(path.join(fed, 'query.graphql'), 'utf8');

// The functions whose inclusive instructions are reported (a regular expression each).
const FOCUS = [
  ['tracing (on_start + on_fetch + on_end)', /TracingObserver::on_(start|fetch|end)\b/],
  ['  spans written and queued (on_end)', /TracingObserver::on_end\b/],
  ['metrics observer', /MetricsObserver::on_(start|end)\b/],
  ['usage reporter (request thread)', /UsageReporter::on_end\b/],
  ['OTLP span batches (resource + scope + copy)', /encode_span_messages\b/],
  ['OTLP metric snapshots', /encode_metrics\b/],
  ['gzip', /gzip_compress\b/],
  ['exporter HTTP sends', /OtlpExporter::Impl::send\b/],
  ['exporter loop thread (all)', /OtlpExporter::Impl::pump\b|EventLoop::run\b.*otlp/],
  ['metrics collect', /MetricsRegistry::collect\b/],
];



function annotate(file) {
  const r = spawnSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file],
                      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const total = Number((/([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/.exec(r.stdout) ||
                        /([\d,]+)\s+PROGRAM TOTALS/.exec(r.stdout) || [0, '0'])[1]
                         .replace(/,/g, ''));
  const fns = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*)$/.exec(line);
    if (m) fns.push([Number(m[1].replace(/,/g, '')), m[2]]);
  }
  return { total, fns };
}

async function main() {
  const { child: subgraphs, urls } = await h.startSubgraphs();
  const supergraph = h.writeSupergraph(urls);
  const body = JSON.stringify({ query: QUERY });
  const results = {};
  for (const scenario of a.scenarios.split(',')) {
    let sink = null;
    let sinkUrl = null;
    if (scenario === 'healthy') sink = await startSink(h, sinkBin, 'ok');
    else if (scenario === 'slow' || scenario === 'black-hole') sink = await startSink(h, sinkBin, scenario);
    else if (scenario === 'down') sinkUrl = `http://127.0.0.1:${await h.freePort()}`;
    if (sink) sinkUrl = sink.url;
    const port = await h.freePort();
    const cfgFile = path.join(out, `profile-${scenario}.yaml`);
    fs.writeFileSync(cfgFile, routerConfig({ port, supergraph, sinkUrl, interval: '10m', tracingInterval: '10m' }));
    const cgFile = path.join(out, `callgrind.${scenario}.out`);
    const bin = path.resolve(root, a.build, 'apps/router/orbit-router');
    const router = h.startProcess(`profile-router-${scenario}`, 'valgrind',
                                  ['--tool=callgrind', `--callgrind-out-file=${cgFile}`,
                                   bin, '--config', cfgFile, '--log-level', 'error']);
    const url = `http://127.0.0.1:${port}/graphql`;
    await h.waitUntilServing(router, url, 180000);
    for (let i = 0; i < a.requests; ++i) {
      const res = await fetch(url, { method: 'POST', body, headers: {
        'Content-Type': 'application/json', Authorization: `Bearer profile-${i}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    }
    await h.stopProcess(router, 120000);
    if (sink) await h.stopProcess(sink.child);
    const { total, fns } = annotate(cgFile);
    const r = { total_per_request: total / a.requests, focus: {} };
    for (const [label, re] of FOCUS) {
      const hit = fns.find(([, name]) => re.test(name));
      r.focus[label] = hit ? hit[0] / a.requests : 0;
    }
    results[scenario] = r;
    console.log(`[profile] ${scenario}: ${Math.round(r.total_per_request)} instructions/request`);
    for (const [label, v] of Object.entries(r.focus)) {
      if (v > 0) console.log(`[profile]   ${label}: ${Math.round(v)}`);
    }
  }
  await h.stopProcess(subgraphs);
  fs.writeFileSync(path.join(out, 'profile.json'), JSON.stringify(results, null, 2));
}

main().catch((e) => {
  console.error('[profile]', e.message);
  h.killAll();
  process.exit(1);
});
