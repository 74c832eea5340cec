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
    scenarios: 'off,healthy,down,black-hole,slow',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--build') a.build = v;
    else if (k === '--out') a.out = v;
    else if (k === '--duration') a.duration = Number(v);
    else if (k === '--connections') a.connections = Number(v);
    else if (k === '--scenarios') a.scenarios = v;
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const out = path.resolve(root, args.out);
const h = require('../federation/harness').init({ root, out, build: args.build, delayMs: 0 });
const log = (...m) => console.log('[telemetry]', ...m);

const QUERY = fs.readFileSync(path.join(fed, 'query.graphql'), 'utf8');

async function startSink(mode) {
  const bin = path.resolve(root, args.build, 'bench/telemetry/telemetry-sink');
  const child = h.startProcess(`telemetry-sink-${mode}`, bin, ['--mode', mode],
                               { pipeStdout: true });
  let text = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('telemetry-sink did not start')), 10000);
    child.stdout.on('data', (d) => {
      text += d;
      const m = /^url (http:\S+)$/m.exec(text);
      if (m && /^ready$/m.test(text)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`telemetry-sink exited; see ${child.logFile}`)));
  });
  return { child, url };
}

function routerConfig(port, supergraphFile, sinkUrl) {
  const lines = [
    `listen: 127.0.0.1:${port}`,
    `supergraph: ${supergraphFile}`,
    'headers:',
    '  all:',
    '    propagate: [Authorization]',
  ];
  if (sinkUrl) {
    lines.push(
      'telemetry:',
      '  exporters:',
      `    - endpoint: ${sinkUrl}`,
      '      timeout: 1s',
      '  tracing:',
      '    sampler: 1.0',
      '  metrics:',
      '    export_interval: 1s',
      '  usage:',
      `    endpoint: ${sinkUrl}/v1/usage`,
      '    graph_token: bench-token',
      '    report_interval: 1s',
      '    timeout: 1s',
    );
  }
  return lines.join('\n') + '\n';
}

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
      telemetry: 'tracing sampler 1.0 + OTLP metrics every 1 s + usage reports every 1 s',
    },
    scenarios: {},
  };
  for (const scenario of args.scenarios.split(',').filter(Boolean)) {
    let sink = null;
    let sinkUrl = null;
    if (scenario === 'healthy') sink = await startSink('ok');
    else if (scenario === 'black-hole') sink = await startSink('black-hole');
    else if (scenario === 'slow') sink = await startSink('slow');
    if (sink) sinkUrl = sink.url;
    else if (scenario === 'down') sinkUrl = `http://127.0.0.1:${await h.freePort()}`;
    else if (scenario !== 'off') throw new Error(`unknown scenario ${scenario}`);

    const port = await h.freePort();
    const config = path.join(out, `telemetry-router-${scenario}.yaml`);
    fs.writeFileSync(config, routerConfig(port, supergraphFile, sinkUrl));
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
      result.scenarios[scenario] = r;
      log(`${scenario}: ${r.rps.toFixed(0)} req/s, ` +
          `${r.cpu_s_per_1000.toFixed(3)} CPU s/1000 req, failures ${r.failures}, ` +
          `p99 ${(r.p99_us / 1000).toFixed(1)} ms` +
          (r.sink ? `, sink got ${r.sink.requests} posts` : ''));
    } finally {
      await h.stopProcess(router);
      if (sink) await h.stopProcess(sink.child);
    }
  }
  await h.stopProcess(subgraphs);
  const off = result.scenarios.off;
  if (off) {
    for (const [name, r] of Object.entries(result.scenarios)) {
      r.throughput_vs_off = r.rps / off.rps;
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
