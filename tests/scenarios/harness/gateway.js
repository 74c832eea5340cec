#!/usr/bin/env node
'use strict';
// Reference answers: starts a scenario's subgraphs and @apollo/gateway (inside
// @apollo/server, on 127.0.0.1 port 0) on the scenario's supergraph.graphql,
// runs every requests/<n>.json through it over HTTP and writes the response
// body to expected/<n>.json.
//
//   node gateway.js [--check] [scenario...]   (default: every scenario)
//
// --check compares with the committed files instead of writing them and exits
// 1 on any difference. Subgraph state is reset before every request, so each
// expected response is independent of the others.
const fs = require('fs');
const path = require('path');
const { load } = require('./lib/deps');
const {
  resolveScenarioDir, listScenarios, loadSubgraphs, listRequests, stableJson,
} = require('./lib/scenario');
const { startScenarioSubgraphs } = require('./lib/subgraph-server');

const { ApolloGateway, RemoteGraphQLDataSource } = load('@apollo/gateway');
const { ApolloServer } = load('@apollo/server');
const { startStandaloneServer } = load('@apollo/server/standalone');

const quietLogger = {
  debug() {}, info() {}, warn() {}, error() {},
};

// Subgraph ports change on every run; error messages that quote them are
// rewritten to the subgraph's name so expected files stay stable.
function normalizePorts(text, running) {
  let out = text;
  for (const s of running.subgraphs) {
    out = out.split(`127.0.0.1:${s.port}`).join(`${s.name}.scenario.invalid`);
  }
  return out;
}

async function runScenario(dir) {
  const supergraphSdl =
      fs.readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
  const running = await startScenarioSubgraphs(loadSubgraphs(dir));
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: quietLogger,
    buildService: ({ name }) =>
        new RemoteGraphQLDataSource({ url: running.urls[name] }),
  });
  const server = new ApolloServer({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    logger: quietLogger,
  });
  const results = new Map();
  try {
    const { url } = await startStandaloneServer(
        server, { listen: { port: 0, host: '127.0.0.1' } });
    for (const { id, request } of listRequests(dir)) {
      running.reset();
      const { headers, ...body } = request;
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(headers || {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(normalizePorts(text, running));
      } catch (e) {
        json = { harnessError: `gateway answered non-JSON (${res.status})`,
                 body: text };
      }
      results.set(id, json);
    }
  } finally {
    await server.stop();
    await running.close();
  }
  return results;
}

async function generate(dir, check) {
  const results = await runScenario(dir);
  const expDir = path.join(dir, 'expected');
  fs.mkdirSync(expDir, { recursive: true });
  const diffs = [];
  for (const [id, json] of results) {
    const file = path.join(expDir, `${id}.json`);
    const text = stableJson(json);
    if (check) {
      const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      if (old !== text) diffs.push(id);
    } else {
      fs.writeFileSync(file, text);
    }
  }
  if (!check) {
    for (const f of fs.readdirSync(expDir)) {
      if (f.endsWith('.json') && !results.has(f.slice(0, -5))) {
        fs.unlinkSync(path.join(expDir, f));
      }
    }
  }
  return { count: results.size, diffs };
}

async function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const names = args.filter((a) => a !== '--check');
  const dirs = (names.length ? names : listScenarios()).map(resolveScenarioDir);
  let bad = 0;
  for (const dir of dirs) {
    const { count, diffs } = await generate(dir, check);
    const name = path.basename(dir);
    if (diffs.length) {
      bad++;
      process.stdout.write(`${name}: DIFFERS in ${diffs.join(', ')}\n`);
    } else {
      process.stdout.write(`${name}: ${count} requests ${check ? 'match' : 'written'}\n`);
    }
  }
  return bad;
}

if (require.main === module) {
  main().then((bad) => process.exit(bad ? 1 : 0), (e) => {
    process.stderr.write(`${e.stack}\n`);
    process.exit(1);
  });
}

module.exports = { generate, runScenario };
