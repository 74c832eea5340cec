#!/usr/bin/env node
'use strict';
// Composes subgraphs/*.graphql into supergraph.graphql with @apollo/composition (the copy
// installed for tests in tests/npm-federation). Run once when a subgraph schema changes; the
// result is committed. Routing URLs are placeholders that bench/federation/run replaces with
// the ports the subgraph server prints.
//
//   node bench/federation/compose.js
const fs = require('fs');
const path = require('path');

const modules = path.join(__dirname, '../../tests/npm-federation/node_modules');
const { parse } = require(path.join(modules, 'graphql'));
const { composeServices } = require(path.join(modules, '@apollo/composition'));

const names = ['accounts', 'inventory', 'products', 'reviews'];
const services = names.map((name) => ({
  name,
  typeDefs: parse(fs.readFileSync(path.join(__dirname, 'subgraphs', `${name}.graphql`), 'utf8')),
  url: `http://${name}.bench.invalid/graphql`,
}));
const result = composeServices(services);
if (result.errors) {
  for (const e of result.errors) console.error(e.message);
  process.exit(1);
}
fs.writeFileSync(path.join(__dirname, 'supergraph.graphql'), result.supergraphSdl.trimEnd() + '\n');
console.log('wrote bench/federation/supergraph.graphql');
