#!/usr/bin/env node
'use strict';
// The federation benchmark: the four C++ subgraphs (bench-subgraphs) and every router on
// them, all started at once; one router is under load at a time (wrk + load.lua), the others
// idle.
//
//   node bench/federation/run.js --build build/release --out build/bench-results
//        [--duration 10] [--rounds 3] [--connections 32] [--low-load-duration 5]
//        [--routers orbit,hive-gateway,apollo-gateway] [--delay-ms 0]
//
// Per router: the benchmark query's answer is checked against expected-response.json
// (@apollo/gateway's answer, committed) and it is warmed up. Then profile "same" (identical
// requests) once per router; profile "unique-auth" (a unique Authorization header per
// request, which the router must propagate: the subgraphs count the requests that carry one)
// in ROUNDS rounds, each visiting every router (the first router rotates), giving medians per
// router and Orbit's CPU ratio to each peer as the median of the per-round ratios — the
// machine's speed drifts by ±15 % over minutes, which a single run against a single run cannot
// separate from the routers; last a low-load run (one connection) of a one-fetch query, also
// sent straight to the subgraph to give the latency the router adds. CPU time comes from /proc/<pid>/stat (utime + stime of the router's
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
    lowLoadDuration: 5, routers: 'orbit,hive-gateway,apollo-gateway', delayMs: 0, rounds: 3,
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
    else if (k === '--rounds') a.rounds = Number(v);
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
  runWrk, measure, freePort, startSubgraphs, waitQuiet, subgraphStats, statsDelta, median,
} = h;

// ---- routers --------------------------------------------------------------------------------

const ROUTERS = {
  orbit: {
    label: 'Orbit (orbit-router)',
    version: () => {
      const r = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
      // The allocator the binary links (docs/adr/0004-router-allocator.md).
      const ldd = spawnSync('ldd', [path.resolve(root, args.build, 'apps/router/orbit-router')],
                            { encoding: 'utf8' });
      const allocator = /tcmalloc/.test(ldd.stdout || '') ? 'tcmalloc' : 'system malloc';
      return `git ${r.stdout.trim()}, ${allocator}`;
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

// Starts one router, checks its answer and counts the plan's fetches, then warms it up.
async function startRouter(name, supergraphFile, expected, urls, bodyFile) {
  const spec = ROUTERS[name];
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const r = { label: spec.label, version: spec.version() };
  log(`${name}: starting on ${url}`);
  const child = spec.start(port, supergraphFile);
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
  return { name, child, url, r };
}

// Profile (b) over the rounds: medians of the rates, latencies and CPU per request; failures
// and subgraph requests summed over the rounds.
function combineRounds(rounds) {
  const sum = (f) => rounds.reduce((n, x) => n + f(x), 0);
  const processed = sum((x) => x.processed);
  const subgraphRequests = {
    requests: sum((x) => x.subgraph_requests.requests),
    with_authorization: sum((x) => x.subgraph_requests.with_authorization),
  };
  const combined = { rounds: rounds.map((x) => ({
    rps: x.rps, p99_us: x.p99_us, cpu_s_per_1000: x.cpu_s_per_1000, failures: x.failures,
  })) };
  for (const k of ['rps', 'p50_us', 'p95_us', 'p99_us', 'cpu_s_per_1000']) {
    combined[k] = median(rounds.map((x) => x[k]));
  }
  for (const k of ['requests', 'bad_status', 'with_errors', 'wrong_shape', 'socket_errors',
                   'failures', 'cpu_s']) {
    combined[k] = sum((x) => x[k] || 0);
  }
  combined.processed = processed;
  combined.subgraph_requests = subgraphRequests;
  combined.subgraph_requests_per_request = subgraphRequests.requests / processed;
  return combined;
}

async function main() {
  const t0 = Date.now();
  const routers = args.routers.split(',').filter(Boolean);
  for (const r of routers) if (!ROUTERS[r]) throw new Error(`unknown router ${r}`);
  if (routers.some((r) => r !== 'orbit')) installPeers();
  if (!(args.rounds >= 1)) throw new Error('--rounds must be at least 1');

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
      rounds: args.rounds,
    },
    machine: {
      cpu: (os.cpus()[0] || {}).model, cores: os.cpus().length,
      memory_gib: Math.round(os.totalmem() / 2 ** 30), kernel: `${os.type()} ${os.release()}`,
      load_before: os.loadavg(),
    },
    node: process.version,
    query_bytes: QUERY.length,
    routers: {},
    ratios: {},
  };

  // The baseline for the added latency: the subgraph on its own, at the same low load.
  result.direct = runWrk({
    url: urls.products, bodyFile: directBody, profile: 'same', expectBytes: 0, connections: 1,
    seconds: args.lowLoadDuration,
  });
  log(`direct products subgraph, 1 connection: p50 ${result.direct.p50_us} µs, ` +
      `p99 ${result.direct.p99_us} µs`);

  // Every router is started first and stays up (idle while another is measured), so that
  // profile (b) can run in rounds that visit every router: the machine's slow phases then hit
  // every router alike, and Orbit's ratio to a peer is taken within each round.
  const running = [];
  try {
    for (const name of routers) {
      try {
        running.push(await startRouter(name, supergraphFile, expected, urls, bodyFile));
      } catch (e) {
        result.routers[name] = { label: ROUTERS[name].label, version: ROUTERS[name].version(),
                                 error: String(e.message || e) };
        log(`${name}: ${result.routers[name].error}`);
      }
    }
    for (const x of running) result.routers[x.name] = x.r;
    const load = (x) => ({ url: x.url, bodyFile, expectBytes: x.r.answer_bytes,
                           connections: args.connections, seconds: args.duration });

    // Profile (a), once per router.
    for (const x of running) x.r.same = await measure(x.child, urls, { ...load(x), profile: 'same' });

    // Profile (b) in rounds; each round starts with the next router, so none is always first.
    const rounds = new Map(running.map((x) => [x.name, []]));
    for (let round = 0; round < args.rounds; round++) {
      for (let i = 0; i < running.length; i++) {
        const x = running[(round + i) % running.length];
        const m = await measure(x.child, urls, { ...load(x), profile: 'unique-auth' });
        rounds.get(x.name).push(m);
        log(`${x.name}: round ${round + 1}/${args.rounds} unique-auth ${m.rps.toFixed(0)} req/s, ` +
            `${m.cpu_s_per_1000.toFixed(3)} CPU s/1000 req, failures ${m.failures}`);
      }
    }
    for (const x of running) x.r.unique_auth = combineRounds(rounds.get(x.name));
    const orbitRounds = rounds.get('orbit');
    if (orbitRounds) {
      for (const [name, rs] of rounds) {
        if (name === 'orbit') continue;
        const perRound = rs.map((m, i) => m.cpu_s_per_1000 / orbitRounds[i].cpu_s_per_1000);
        result.ratios[name] = { cpu_b_rounds: perRound, cpu_b: median(perRound) };
      }
    }

    for (const x of running) {
      const r = x.r;
      r.low_load = await measure(x.child, urls, {
        url: x.url, bodyFile: lowLoadBody, profile: 'same', expectBytes: 0, connections: 1,
        seconds: args.lowLoadDuration,
      });
      r.low_load.added_p50_us = r.low_load.p50_us - result.direct.p50_us;
      r.low_load.added_p99_us = r.low_load.p99_us - result.direct.p99_us;
      r.peak_rss_kb = peakRssKb(x.child.pid);
      const sr = r.unique_auth.subgraph_requests;
      log(`${x.name}: same ${r.same.rps.toFixed(0)} req/s, unique-auth (median of ` +
          `${args.rounds}) ${r.unique_auth.rps.toFixed(0)} req/s, ` +
          `${r.unique_auth.cpu_s_per_1000.toFixed(3)} CPU s/1000 req, peak RSS ` +
          `${(r.peak_rss_kb / 1024).toFixed(1)} MB, failures ${r.same.failures}+` +
          `${r.unique_auth.failures}, Authorization on ${sr.with_authorization}/${sr.requests} ` +
          `subgraph requests, low-load p99 +${r.low_load.added_p99_us} µs`);
    }
    for (const [name, ratio] of Object.entries(result.ratios)) {
      log(`CPU per request, ${name} / orbit: ${ratio.cpu_b_rounds.map((v) => v.toFixed(1)).join(', ')}` +
          ` → median ${ratio.cpu_b.toFixed(1)}`);
    }
  } catch (e) {
    // A failure while measuring is recorded on every router still without figures.
    for (const x of running) if (!x.r.unique_auth) x.r.error = String(e.message || e);
    log(`measuring failed: ${e.message || e}`);
  } finally {
    for (const x of running) await stopProcess(x.child);
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
