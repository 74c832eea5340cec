#!/usr/bin/env node
// Regenerates the composed supergraph fixtures of lib/federation's tests, and Apollo's API
// schema of every supergraph fixture (composed or hand-written) as the expected golden.
//
//   mkdir -p /tmp/fed && cd /tmp/fed && npm install @apollo/composition@2.14.4 \
//     @apollo/federation-internals@2.14.4 @theguild/federation-composition@0.27.0 graphql@16.11.0
//   mkdir -p /tmp/fed1 && cd /tmp/fed1 && npm install @apollo/federation@0.38.1 graphql@15.8.0
//   node lib/federation/test/data/compose.js /tmp/fed /tmp/fed1
//
// For each folder subgraphs/<set>/ (one <subgraph>.graphql per subgraph, the subgraph name is
// the file name, the URL http://<name>.local/graphql): writes supergraphs/<set>.graphql.
// Sets whose name starts with fed1_ are composed by the Federation 1 composer
// (@apollo/federation 0.x), giving a join v0.1 / @core supergraph. The other sets are also
// composed by @theguild/federation-composition (installed beside @apollo/composition) into
// supergraphs/<set>_guild.graphql.
// Then for each supergraphs/*.graphql: writes api/<name>.graphql, Apollo's API schema
// normalized by graphql-js printSchema(buildSchema(x)), or api/<name>.error with Apollo's
// error messages when it rejects the supergraph.
'use strict';
const fs = require('fs');
const path = require('path');

const fedDir = process.argv[2] || '/tmp/fed';
const fed1Dir = process.argv[3] || '/tmp/fed1';
const req = (dir, name) => require(require.resolve(name, {paths: [dir]}));
const {composeServices} = req(fedDir, '@apollo/composition');
const {Supergraph} = req(fedDir, '@apollo/federation-internals');
const graphql = req(fedDir, 'graphql');

const here = __dirname;
const subgraphsDir = path.join(here, 'subgraphs');
const supergraphsDir = path.join(here, 'supergraphs');
const apiDir = path.join(here, 'api');
fs.mkdirSync(supergraphsDir, {recursive: true});
fs.mkdirSync(apiDir, {recursive: true});

function readSet(set) {
  const dir = path.join(subgraphsDir, set);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort().map((f) => {
    const name = f.replace(/\.graphql$/, '');
    return {name, url: `http://${name}.local/graphql`,
            sdl: fs.readFileSync(path.join(dir, f), 'utf8')};
  });
}

for (const set of fs.readdirSync(subgraphsDir).sort()) {
  const services = readSet(set);
  let sdl;
  if (set.startsWith('fed1_')) {
    const fed1 = req(fed1Dir, '@apollo/federation');
    const g1 = req(fed1Dir, 'graphql');
    const result = fed1.composeAndValidate(
        services.map((s) => ({name: s.name, url: s.url, typeDefs: g1.parse(s.sdl)})));
    if (result.errors && result.errors.length) {
      console.error(`${set}:`, result.errors.map((e) => e.message).join('\n'));
      process.exit(1);
    }
    sdl = result.supergraphSdl;
  } else {
    const result = composeServices(
        services.map((s) => ({name: s.name, url: s.url, typeDefs: graphql.parse(s.sdl)})));
    if (result.errors && result.errors.length) {
      console.error(`${set}:`, result.errors.map((e) => e.message).join('\n'));
      process.exit(1);
    }
    sdl = result.supergraphSdl;
    const guild = req(fedDir, '@theguild/federation-composition').composeServices(
        services.map((s) => ({name: s.name, url: s.url, typeDefs: graphql.parse(s.sdl)})));
    if (guild.errors && guild.errors.length) {
      console.error(`${set} (guild):`, guild.errors.map((e) => e.message).join('\n'));
      process.exit(1);
    }
    fs.writeFileSync(path.join(supergraphsDir, `${set}_guild.graphql`), guild.supergraphSdl + '\n');
    console.log(`composed ${set} (guild)`);
  }
  fs.writeFileSync(path.join(supergraphsDir, `${set}.graphql`), sdl.endsWith('\n') ? sdl : sdl + '\n');
  console.log(`composed ${set}`);
}

for (const f of fs.readdirSync(supergraphsDir).filter((f) => f.endsWith('.graphql')).sort()) {
  const name = f.replace(/\.graphql$/, '');
  const sdl = fs.readFileSync(path.join(supergraphsDir, f), 'utf8');
  const outApi = path.join(apiDir, `${name}.graphql`);
  const outErr = path.join(apiDir, `${name}.error`);
  for (const p of [outApi, outErr]) if (fs.existsSync(p)) fs.unlinkSync(p);
  try {
    const api = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    const text = graphql.printSchema(graphql.buildSchema(graphql.printSchema(api)));
    fs.writeFileSync(outApi, text + '\n');
    console.log(`api ${name}`);
  } catch (e) {
    const errs = e.causes ? e.causes.map((c) => c.message) : [e.message];
    fs.writeFileSync(outErr, errs.join('\n') + '\n');
    console.log(`api ${name}: rejected (${errs.length} errors)`);
  }
}
