#!/usr/bin/env node
'use strict';
// Composes subgraph sets with @apollo/composition (the reference for Orbit's composition), or
// with @theguild/federation-composition (`--guild`, the second reference).
//
//   node compose.js [--guild] <case-dir>...   one JSON document on stdout:
//   [{"case": name, "ok": bool, "supergraph": sdl | null,
//     "errors": [{"code", "message"}], "hints": [{"code", "message"}]}]
//
// A case directory holds one `<subgraph>.graphql` file per subgraph; subgraphs are
// composed in file-name order with the routing URL `http://<subgraph>.composition.invalid/graphql`
// (Orbit's differential test uses the same convention).
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const npmDir = path.resolve(__dirname, '../../npm-federation');
const req = createRequire(path.join(npmDir, 'package.json'));
const guild = process.argv[2] === '--guild';
const composerPackage = guild ? '@theguild/federation-composition' : '@apollo/composition';
let graphql;
let composition;
try {
  graphql = req('graphql');
  composition = req(composerPackage);
} catch (e) {
  process.stderr.write(`cannot load ${composerPackage}: run \`npm ci\` in ${npmDir} (make npm-deps)\n`);
  process.exit(2);
}

function routingUrl(name) {
  return `http://${name}.composition.invalid/graphql`;
}

function composeCase(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
  const result = { case: path.basename(dir), ok: false, supergraph: null, errors: [], hints: [] };
  const services = [];
  for (const f of files) {
    const name = f.slice(0, -'.graphql'.length);
    const sdl = fs.readFileSync(path.join(dir, f), 'utf8');
    let typeDefs;
    try {
      typeDefs = graphql.parse(sdl);
    } catch (e) {
      result.errors.push({ code: 'INVALID_GRAPHQL', message: `[${name}] ${e.message}` });
      continue;
    }
    services.push({ name, typeDefs, url: routingUrl(name) });
  }
  if (result.errors.length) return result;
  let out;
  try {
    out = composition.composeServices(services);
  } catch (e) {
    result.errors.push({ code: 'INTERNAL', message: String(e && e.stack || e) });
    return result;
  }
  const codeOf = (e) => (e.extensions && e.extensions.code) || (e.definition && e.definition.code) || 'UNKNOWN';
  if (out.errors && out.errors.length) {
    result.errors = out.errors.map((e) => ({ code: codeOf(e), message: e.message }));
  } else {
    result.ok = true;
    result.supergraph = out.supergraphSdl;
  }
  result.hints = (out.hints || []).map((h) => ({
    code: (h.definition && h.definition.code) || (h.extensions && h.extensions.code) || 'UNKNOWN',
    message: h.message,
  }));
  return result;
}

const dirs = process.argv.slice(guild ? 3 : 2);
process.stdout.write(JSON.stringify(dirs.map((d) => composeCase(path.resolve(d))), null, 1) + '\n');
