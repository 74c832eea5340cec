#!/usr/bin/env node
'use strict';
// Runner API for tests written in other languages (the C++ router tests):
//
//   node tests/scenarios/harness/serve.js <scenario> [--fault NAME=MODE]...
//
// Starts every subgraph of the scenario on 127.0.0.1 (port 0), prints ONE line
// of JSON {"<subgraph>": "<url>", ...} on stdout, then keeps serving until
// stdin reaches EOF or the process gets SIGTERM/SIGINT. While it runs, a line
// "reset" on stdin restores every subgraph's state and clears its request
// log, and is answered with the line {"ok":true}. MODE is one of down, slow,
// http500, nonjson, wrongshape (see README.md); it overrides the data file.
const { resolveScenarioDir, loadSubgraphs } = require('./lib/scenario');
const { startScenarioSubgraphs } = require('./lib/subgraph-server');

function usage(msg) {
  process.stderr.write(
      `${msg}\nusage: serve.js <scenario> [--fault NAME=MODE[:delayMs]]...\n`);
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  let scenario;
  const faults = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--fault') {
      const spec = args[++i] || '';
      const m = /^([^=]+)=([a-z0-9]+)(?::(\d+))?$/.exec(spec);
      if (!m) usage(`bad --fault ${spec}`);
      faults[m[1]] = { mode: m[2], delayMs: m[3] ? Number(m[3]) : undefined };
    } else if (!scenario) {
      scenario = args[i];
    } else {
      usage(`unexpected argument ${args[i]}`);
    }
  }
  if (!scenario) usage('missing scenario');
  let dir;
  try {
    dir = resolveScenarioDir(scenario);
  } catch (e) {
    usage(e.message);
  }
  const defs = loadSubgraphs(dir);
  for (const name of Object.keys(faults)) {
    if (!defs.some((d) => d.name === name)) usage(`no subgraph ${name}`);
  }
  const running = await startScenarioSubgraphs(defs, faults);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(JSON.stringify(running.urls) + '\n');

  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line === 'reset') {
        running.reset();
        process.stdout.write('{"ok":true}\n');
      } else if (line !== '') {
        process.stdout.write(
            JSON.stringify({ ok: false, error: `unknown command ${line}` }) +
            '\n');
      }
    }
  });
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
