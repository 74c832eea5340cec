#!/usr/bin/env node
'use strict';
// The federation benchmark: the four C++ subgraphs (bench-subgraphs), then each router in
// turn on the same subgraphs and the same load (wrk + load.lua), one router at a time.
//
//   node bench/federation/run.js --build build/release --out build/bench-results
//        [--duration 10] [--connections 32] [--low-load-duration 5]
//        [--routers orbit,hive-gateway,apollo-gateway] [--delay-ms 0]
//
// Per router: the benchmark query's answer is checked against expected-response.json
// (@apollo/gateway's answer, committed); then a warm-up, profile "same" (identical
// requests), profile "unique-auth" (a unique Authorization header per request, which the
// router must propagate: the subgraphs count the requests that carry one), and a low-load run
// (one connection) of a one-fetch query, also sent straight to the subgraph to give the
// latency the router adds. CPU time comes from /proc/<pid>/stat (utime + stime of the router's
// process tree) before and after each run; peak RSS is VmHWM at the end.
//
// Writes OUT/federation.json (read by bench/report.js) and the routers' logs in OUT/.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const here = __dirname;
const root = path.resolve(here, '../..');

function parseArgs(argv) {
  const a = {
    build: 'build/release', out: 'build/bench-results', duration: 10, connections: 32,
    lowLoadDuration: 5, routers: 'orbit,hive-gateway,apollo-gateway', delayMs: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--build') a.build = v;
    else if (k === '--out') a.out = v;
    else if (k === '--duration') a.duration = Number(v);
    else if (k === '--connections') a.connections = Number(v);
    else if (k === '--low-load-duration') a.lowLoadDuration = Number(v);
    else if (k === '--routers') a.routers = v;
    else if (k === '--delay-ms') a.delayMs = Number(v);
    else throw new Error(`unknown argument ${k}`);
    i++;
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const out = path.resolve(root, args.out);
fs.mkdirSync(out, { recursive: true });
const log = (...m) => console.log('[federation]', ...m);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const QUERY = fs.readFileSync(path.join(here, 'query.graphql'), 'utf8');
const LOW_LOAD_QUERY = '{ topProducts { name price } }';
// What the router sends the products subgraph for LOW_LOAD_QUERY (the direct baseline).
const LOW_LOAD_SUBGRAPH_QUERY = '{topProducts{name price}}';

const h = require('./harness').init({ root, out, build: args.build, delayMs: args.delayMs });
const {
  startProcess, stopProcess, cpuSeconds, peakRssKb, post, waitUntilServing, firstDifference,
  runWrk, measure, freePort, startSubgraphs, waitQuiet, subgraphStats, statsDelta,
} = h;

// ---- routers --------------------------------------------------------------------------------

const ROUTERS = {
  orbit: {
    label: 'Orbit (orbit-router)',
    version: () => {
      const r = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
      return `git ${r.stdout.trim()}`;
    },
    start(port, supergraphFile) {
      const config = path.join(out, 'orbit-router.yaml');
      fs.writeFileSync(config, [
        `listen: 127.0.0.1:${port}`,
        `supergraph: ${supergraphFile}`,
        'headers:',
        '  all:',
        '    propagate: [Authorization]',
        '',
      ].join('\n'));
      const bin = path.resolve(root, args.build, 'apps/router/orbit-router');
      return startProcess('orbit-router', bin, ['--config', config, '--log-level', 'warn']);
    },
  },
  'hive-gateway': {
    label: '@graphql-hive/gateway',
    version: () => peerVersion('@graphql-hive/gateway'),
    start(port, supergraphFile) {
      return startProcess('hive-gateway', process.execPath, [
        path.join(here, 'peers/node_modules/@graphql-hive/gateway/dist/bin.js'), 'supergraph',
        supergraphFile, '--host', '127.0.0.1', '--port', String(port), '--fork', '1',
        '-c', path.join(here, 'peers/hive-gateway.config.mjs'),
      ], { cwd: path.join(here, 'peers'), env: { NODE_ENV: 'production' } });
    },
  },
  'apollo-gateway': {
    label: '@apollo/gateway',
    version: () => peerVersion('@apollo/gateway'),
    start(port, supergraphFile) {
      return startProcess('apollo-gateway', process.execPath, [
        path.join(here, 'peers/apollo-gateway.js'), supergraphFile, String(port),
      ], { cwd: path.join(here, 'peers'), env: { NODE_ENV: 'production' } });
    },
  },
};

function peerVersion(pkg) {
  try {
    return require(path.join(here, 'peers/node_modules', pkg, 'package.json')).version;
  } catch {
    return '?';
  }
}

function installPeers() {
  const dir = path.join(here, 'peers');
  const ok = fs.existsSync(path.join(dir, 'node_modules')) &&
             spawnSync('npm', ['ls', '--silent'], { cwd: dir }).status === 0;
  if (ok) return;
  log('installing the peers (npm ci in bench/federation/peers)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'],
                      { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm ci failed in bench/federation/peers');
}

async function main() {
  const t0 = Date.now();
  const routers = args.routers.split(',').filter(Boolean);
  for (const r of routers) if (!ROUTERS[r]) throw new Error(`unknown router ${r}`);
  if (routers.some((r) => r !== 'orbit')) installPeers();

  const expected = JSON.parse(fs.readFileSync(path.join(here, 'expected-response.json'), 'utf8'));
  const { child: subgraphs, urls } = await startSubgraphs();
  log('subgraphs:', Object.entries(urls).map(([k, v]) => `${k} ${v}`).join(', '));
  const supergraphFile = h.writeSupergraph(urls);

  const bodyFile = path.join(out, 'federation-query.json');
  fs.writeFileSync(bodyFile, JSON.stringify({ query: QUERY }));
  const lowLoadBody = path.join(out, 'federation-low-load.json');
  fs.writeFileSync(lowLoadBody, JSON.stringify({ query: LOW_LOAD_QUERY }));
  const directBody = path.join(out, 'federation-direct.json');
  fs.writeFileSync(directBody, JSON.stringify({ query: LOW_LOAD_SUBGRAPH_QUERY }));

  const result = {
    date: new Date().toISOString(),
    settings: {
      duration_s: args.duration, connections: args.connections, wrk_threads: 1,
      low_load_duration_s: args.lowLoadDuration, subgraph_delay_ms: args.delayMs,
    },
    machine: {
      cpu: (os.cpus()[0] || {}).model, cores: os.cpus().length,
      memory_gib: Math.round(os.totalmem() / 2 ** 30), kernel: `${os.type()} ${os.release()}`,
      load_before: os.loadavg(),
    },
    node: process.version,
    query_bytes: QUERY.length,
    routers: {},
  };

  // The baseline for the added latency: the subgraph on its own, at the same low load.
  result.direct = runWrk({
    url: urls.products, bodyFile: directBody, profile: 'same', expectBytes: 0, connections: 1,
    seconds: args.lowLoadDuration,
  });
  log(`direct products subgraph, 1 connection: p50 ${result.direct.p50_us} µs, ` +
      `p99 ${result.direct.p99_us} µs`);

  for (const name of routers) {
    const spec = ROUTERS[name];
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const r = { label: spec.label, version: spec.version() };
    result.routers[name] = r;
    log(`${name}: starting on ${url}`);
    const child = spec.start(port, supergraphFile);
    try {
      await waitUntilServing(child, url);
      const answer = await post(url, { query: QUERY });
      r.answer_bytes = Buffer.byteLength(answer.text);
      let parsed = null;
      try { parsed = JSON.parse(answer.text); } catch { /* below */ }
      r.answer_difference = parsed === null ? `not JSON (HTTP ${answer.status})`
                                            : firstDifference(parsed, expected);
      r.answer_ok = answer.status === 200 && r.answer_difference === null;
      log(`${name}: answer ${r.answer_bytes} bytes, ` +
          (r.answer_ok ? 'equal to the expected answer' : `DIFFERS: ${r.answer_difference}`));

      // Subgraph requests of one client request on its own (the plan's fetches).
      await waitQuiet(urls);
      const s0 = await subgraphStats(urls);
      await post(url, { query: QUERY });
      r.fetches_per_request = statsDelta(s0, await subgraphStats(urls)).requests;

      // Warm-up (JIT, pools, plan caches), not counted.
      runWrk({ url, bodyFile, profile: 'same', expectBytes: 0, connections: args.connections,
               seconds: 3 });
      const expectBytes = r.answer_bytes;
      const load = { url, bodyFile, expectBytes, connections: args.connections,
                     seconds: args.duration };
      r.same = await measure(child, urls, { ...load, profile: 'same' });
      r.unique_auth = await measure(child, urls, { ...load, profile: 'unique-auth' });
      r.low_load = await measure(child, urls, {
        url, bodyFile: lowLoadBody, profile: 'same', expectBytes: 0, connections: 1,
        seconds: args.lowLoadDuration,
      });
      r.low_load.added_p50_us = r.low_load.p50_us - result.direct.p50_us;
      r.low_load.added_p99_us = r.low_load.p99_us - result.direct.p99_us;
      r.peak_rss_kb = peakRssKb(child.pid);
      const sr = r.unique_auth.subgraph_requests;
      log(`${name}: same ${r.same.rps.toFixed(0)} req/s, unique-auth ${r.unique_auth.rps.toFixed(0)}` +
          ` req/s, ${r.unique_auth.cpu_s_per_1000.toFixed(3)} CPU s/1000 req, peak RSS ` +
          `${(r.peak_rss_kb / 1024).toFixed(1)} MB, failures ${r.same.failures}+` +
          `${r.unique_auth.failures}, Authorization on ${sr.with_authorization}/${sr.requests} ` +
          `subgraph requests, low-load p99 +${r.low_load.added_p99_us} µs`);
    } catch (e) {
      r.error = String(e.message || e);
      log(`${name}: ${r.error}`);
    } finally {
      await stopProcess(child);
    }
  }
  await stopProcess(subgraphs);
  result.machine.load_after = os.loadavg();
  result.elapsed_s = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(out, 'federation.json'), JSON.stringify(result, null, 2));
  log(`wrote ${path.relative(root, path.join(out, 'federation.json'))} in ` +
      `${result.elapsed_s.toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
