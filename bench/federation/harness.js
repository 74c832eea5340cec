'use strict';
// What the benchmarks driven from node share (bench/federation/run.js, bench/telemetry/run.js):
// processes started and always killed, CPU seconds and peak RSS from /proc, HTTP helpers,
// wrk with load.lua, and the C++ benchmark subgraphs.
//
//   const h = require('../federation/harness').init({ root, out, build, delayMs });
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const here = __dirname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cfg = { root: path.resolve(here, '../..'), out: null, build: 'build/release', delayMs: 0 };

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Every process started here is recorded and killed on exit, whatever happens.
const started = [];
function startProcess(name, cmd, argv, options = {}) {
  const logFile = path.join(cfg.out, `${name}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(cmd, argv, {
    stdio: ['ignore', options.pipeStdout ? 'pipe' : fd, fd],
    cwd: options.cwd || cfg.root,
    env: { ...process.env, ...(options.env || {}) },
  });
  fs.closeSync(fd);
  started.push(child);
  child.exitInfo = null;
  child.on('exit', (code, signal) => { child.exitInfo = { code, signal }; });
  child.logFile = logFile;
  return child;
}
function killAll() {
  for (const c of started) {
    if (c.exitInfo === null) {
      try { c.kill('SIGKILL'); } catch { /* gone */ }
    }
  }
}
process.on('exit', killAll);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

async function stopProcess(child, timeoutMs = 10000) {
  if (child.exitInfo !== null) return;
  child.kill('SIGTERM');
  const t0 = Date.now();
  while (child.exitInfo === null && Date.now() - t0 < timeoutMs) await sleep(50);
  if (child.exitInfo === null) child.kill('SIGKILL');
}

// ---- /proc ----------------------------------------------------------------------------------

function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}
function processTree(pid) {
  const pids = [pid];
  const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const parent = new Map();
  for (const p of all) {
    const st = readStat(p);
    if (st) parent.set(p, st.ppid);
  }
  for (let i = 0; i < pids.length; i++) {
    for (const [p, pp] of parent) if (pp === pids[i] && !pids.includes(p)) pids.push(p);
  }
  return pids;
}
function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) ticks += (readStat(p) || { ticks: 0 }).ticks;
  return ticks / CLK_TCK;
}
function peakRssKb(pid) {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch { /* gone */ }
  }
  return kb;
}

// ---- HTTP -----------------------------------------------------------------------------------

async function post(url, body, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function waitUntilServing(child, url, timeoutMs = 60000) {
  const t0 = Date.now();
  for (;;) {
    if (child.exitInfo !== null) {
      throw new Error(`${url}: the process exited (${JSON.stringify(child.exitInfo)}); see ` +
                      child.logFile);
    }
    try {
      const r = await post(url, { query: '{ __typename }' });
      if (r.status === 200) return;
    } catch { /* not yet */ }
    if (Date.now() - t0 > timeoutMs) throw new Error(`${url} did not start in ${timeoutMs} ms`);
    await sleep(100);
  }
}

// The first difference between two JSON values, as a path, or null when equal.
function firstDifference(a, b, where = '$') {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    return `${where}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${where}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a !== null && typeof a === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join(',') !== kb.join(',')) return `${where}: keys ${ka} vs ${kb}`;
    for (const k of ka) {
      const d = firstDifference(a[k], b[k], `${where}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${where}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

// ---- wrk ------------------------------------------------------------------------------------

function runWrk({ url, bodyFile, profile, expectBytes, connections, seconds }) {
  const r = spawnSync('wrk', [
    '-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s',
    '-s', path.join(here, 'load.lua'), url,
  ], {
    encoding: 'utf8',
    env: {
      ...process.env, BENCH_BODY_FILE: bodyFile, BENCH_PROFILE: profile,
      BENCH_EXPECT_BYTES: String(expectBytes || 0),
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const m = /BENCH_RESULT (\{.*\})/.exec(r.stdout || '');
  if (!m) throw new Error(`wrk failed (${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(m[1]);
}

// One wrk run. CPU is read from before the run until the subgraphs are quiet again, so the
// requests each connection still had in flight when wrk stopped are finished inside the
// window; they are counted as processed (wrk keeps exactly one request in flight per
// connection). In profile (b) every processed request reaches the subgraphs, which gives a
// second count to check this one against (`subgraph_requests.requests / fetches`).
async function measure(child, urls, opts) {
  await waitQuiet(urls);
  const stats0 = await subgraphStats(urls);
  const cpu0 = cpuSeconds(child.pid);
  const res = runWrk(opts);
  await waitQuiet(urls);
  const cpu1 = cpuSeconds(child.pid);
  res.subgraph_requests = statsDelta(stats0, await subgraphStats(urls));
  res.cpu_s = cpu1 - cpu0;
  res.processed = res.requests + opts.connections;
  res.cpu_s_per_1000 = (res.cpu_s / res.processed) * 1000;
  res.subgraph_requests_per_request = res.subgraph_requests.requests / res.processed;
  res.failures = res.bad_status + res.with_errors + res.wrong_shape + res.socket_errors;
  return res;
}

async function subgraphStats(urls) {
  const stats = {};
  for (const [name, url] of Object.entries(urls)) {
    const res = await fetch(url.replace(/\/graphql$/, '/stats'));
    stats[name] = await res.json();
  }
  return stats;
}
// Waits until the subgraphs have seen no request for `quietMs` (requests of the previous run
// still queued in a slow router finish first), at most `maxMs`.
async function waitQuiet(urls, quietMs = 500, maxMs = 30000) {
  const total = (st) => Object.values(st).reduce((n, x) => n + x.requests, 0);
  const t0 = Date.now();
  let last = total(await subgraphStats(urls));
  let since = Date.now();
  while (Date.now() - t0 < maxMs) {
    await sleep(100);
    const now = total(await subgraphStats(urls));
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
  }
}

function statsDelta(before, after) {
  let requests = 0;
  let withAuthorization = 0;
  for (const name of Object.keys(after)) {
    requests += after[name].requests - before[name].requests;
    withAuthorization += after[name].with_authorization - before[name].with_authorization;
  }
  return { requests, with_authorization: withAuthorization };
}

async function startSubgraphs() {
  const bin = path.resolve(cfg.root, cfg.build, 'bench/federation/bench-subgraphs');
  const child = startProcess('bench-subgraphs', bin, ['--delay-ms', String(cfg.delayMs)],
                             { pipeStdout: true });
  const urls = {};
  let text = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench-subgraphs did not start')), 10000);
    child.stdout.on('data', (d) => {
      text += d;
      for (const m of text.matchAll(/^(\w+) (http:\/\/\S+)$/gm)) urls[m[1]] = m[2];
      if (/^ready$/m.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => reject(new Error(`bench-subgraphs exited; see ${child.logFile}`)));
  });
  return { child, urls };
}


// The benchmark supergraph with the subgraphs' real URLs, written to OUT/supergraph.graphql.
function writeSupergraph(urls) {
  const file = path.join(cfg.out, 'supergraph.graphql');
  let sdl = fs.readFileSync(path.join(here, 'supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(urls)) {
    sdl = sdl.split(`http://${name}.bench.invalid/graphql`).join(url);
  }
  fs.writeFileSync(file, sdl);
  return file;
}

// The median of a list of numbers (the mean of the middle two for an even count).
function median(xs) {
  const v = [...xs].sort((x, y) => x - y);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function init(options) {
  Object.assign(cfg, options);
  fs.mkdirSync(cfg.out, { recursive: true });
  return module.exports;
}

module.exports = {
  init, sleep, freePort, startProcess, stopProcess, cpuSeconds, peakRssKb, post,
  waitUntilServing, firstDifference, runWrk, measure, subgraphStats, waitQuiet, statsDelta,
  startSubgraphs, writeSupergraph, median,
};
