// The platform the end-to-end tests run against, all on 127.0.0.1 with ports picked by the
// system: the shop-demo subgraphs (tests/scenarios/harness/serve.js), orbit-controlplane
// (SQLite in a temporary directory, Studio served from studio/dist), orbit-cdn, and, on demand,
// orbit-router in managed mode. Every process started here is stopped by stopAll().
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const children = [];

export function binaries(buildDir, given = {}) {
  const b = {
    controlplane: path.join(buildDir, "apps/controlplane/orbit-controlplane"),
    cdn: path.join(buildDir, "apps/cdn/orbit-cdn"),
    router: path.join(buildDir, "apps/router/orbit-router"),
    cli: path.join(buildDir, "apps/cli/orbit"),
    ...given,
  };
  for (const [name, file] of Object.entries(b))
    if (!fs.existsSync(file)) throw new Error(`${name} binary missing: ${file} (build orbit-controlplane orbit-cdn orbit-router orbit in ${buildDir})`);
  return b;
}

// Starts a process with its output in logs/NAME.log; resolves when a line matches `ready`
// (with the match) or rejects when it exits or `timeoutMs` passes.
export function start(name, argv, { env = {}, cwd, logDir, ready, timeoutMs = 60_000, stdin = "ignore" }) {
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.createWriteStream(logFile);
  const child = spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: [stdin, "pipe", "pipe"] });
  const proc = { name, child, logFile, exited: false, output: "" };
  children.push(proc);
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const finish = (error, match) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(new Error(`${error.message}\n--- last lines of ${logFile}:\n${tail(proc.output)}`));
      else resolve({ ...proc, match });
    };
    const onData = (chunk) => {
      const text = chunk.toString();
      log.write(text);
      if (proc.output.length < 1_000_000) proc.output += text;
      const m = ready ? ready.exec(proc.output) : null;
      if (m) finish(null, m);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => finish(e));
    child.on("exit", (code, signal) => {
      proc.exited = true;
      finish(new Error(`${name} exited during start (${signal ?? `status ${code}`})`));
    });
  });
}

function tail(text, n = 25) {
  return text.split("\n").slice(-n).join("\n");
}

// SIGTERM every started process (newest first), SIGKILL what is left after 10 s.
export async function stopAll() {
  const running = children.filter((p) => !p.exited).reverse();
  for (const p of running) {
    try {
      if (p.child.stdin) p.child.stdin.end();
      p.child.kill("SIGTERM");
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 10_000;
  while (running.some((p) => !p.exited) && Date.now() < deadline) await sleep(100);
  for (const p of running) if (!p.exited) p.child.kill("SIGKILL");
}

export function stopAllNow() {
  for (const p of children) if (!p.exited) try { p.child.kill("SIGKILL"); } catch { /* gone */ }
}

export async function stop(proc) {
  if (proc.exited) return;
  proc.child.kill("SIGTERM");
  const deadline = Date.now() + 10_000;
  while (!proc.exited && Date.now() < deadline) await sleep(100);
  if (!proc.exited) proc.child.kill("SIGKILL");
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function randomApiKey() {
  const hex = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return `orbit_${hex}_${secret}`;
}

export function supports(binary, flag) {
  const r = spawnSync(binary, ["--help"], { encoding: "utf8" });
  return `${r.stdout}${r.stderr}`.includes(flag);
}

// The orbit CLI; resolves with {status, output}.
export function cli(bin, args, env) {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (status) => resolve({ status, output }));
    child.on("error", (e) => resolve({ status: -1, output: String(e) }));
  });
}

export async function httpJson(method, url, { body, headers = {}, timeoutMs = 5000 } = {}) {
  try {
    const r = await fetch(url, {
      method,
      headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: r.status, text, json, headers: r.headers };
  } catch (e) {
    return { status: 0, text: String(e.cause ?? e), json: null, headers: new Headers() };
  }
}

// A same-origin stand-in for a control plane without --studio-dir: serves DIST and passes /v1
// to the control plane unchanged (cookies, CSRF header and all). Only used when the control
// plane cannot serve Studio itself; the run reports that as a failure of its own.
export function startStaticProxy(dist, upstream) {
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".woff2": "font/woff2" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname.startsWith("/v1/") || url.pathname === "/v1") {
      const up = new URL(upstream);
      const proxied = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      proxied.on("error", (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      req.pipe(proxied);
      return;
    }
    const file = path.join(dist, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ""));
    const target = file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(dist, "index.html");
    res.writeHead(200, { "Content-Type": types[path.extname(target)] ?? "application/octet-stream" });
    fs.createReadStream(target).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}
