#!/usr/bin/env node
'use strict';
// Records expected-response.json: the benchmark query's answer from @apollo/gateway (the
// copy installed for tests in tests/npm-federation) over the C++ subgraphs. Run it when the
// data, the schemas or the query change; the file is committed and every router's answer is
// compared with it (federation_bench_test, federation-request, run.js).
//
//   node bench/federation/record-expected.js BUILD_DIR
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const modules = path.join(__dirname, '../../tests/npm-federation/node_modules');
const { ApolloGateway } = require(path.join(modules, '@apollo/gateway'));
const { ApolloServer } = require(path.join(modules, '@apollo/server'));
const { startStandaloneServer } = require(path.join(modules, '@apollo/server/standalone'));

async function main() {
  const build = path.resolve(process.argv[2] || 'build/release');
  const subgraphs = spawn(path.join(build, 'bench/federation/bench-subgraphs'), [],
                          { stdio: ['ignore', 'pipe', 'inherit'] });
  const urls = {};
  await new Promise((resolve, reject) => {
    let text = '';
    subgraphs.stdout.on('data', (d) => {
      text += d;
      for (const m of text.matchAll(/^(\w+) (http:\/\/\S+)$/gm)) urls[m[1]] = m[2];
      if (/^ready$/m.test(text)) resolve();
    });
    subgraphs.on('exit', () => reject(new Error('bench-subgraphs exited')));
  });
  let sdl = fs.readFileSync(path.join(__dirname, 'supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(urls)) {
    sdl = sdl.split(`http://${name}.bench.invalid/graphql`).join(url);
  }
  const quiet = { debug() {}, info() {}, warn() {}, error() {} };
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: sdl, logger: quiet }),
                                    logger: quiet });
  try {
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    const query = fs.readFileSync(path.join(__dirname, 'query.graphql'), 'utf8');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const text = await res.text();
    const json = JSON.parse(text);
    if (res.status !== 200 || json.errors) throw new Error(`gateway answered ${res.status}: ${text.slice(0, 500)}`);
    fs.writeFileSync(path.join(__dirname, 'expected-response.json'), text);
    console.log(`wrote bench/federation/expected-response.json (${text.length} bytes)`);
  } finally {
    await server.stop();
    subgraphs.kill('SIGTERM');
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
