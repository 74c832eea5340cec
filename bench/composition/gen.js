#!/usr/bin/env node
'use strict';
// Writes a generated federated graph of N subgraphs (Federation 2.3) for the composition
// benchmark: subgraph i owns entity Entity<i> (key id, 8 fields, an enum and an input), adds
// a field to Entity<i+1> and Entity<i+7>, shares the value type Money, implements the
// interface Node and has a root field. Deterministic.
//
//   node gen.js <out-dir> <N>
const fs = require('fs');
const path = require('path');

const [outDir, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!outDir || !(n > 0)) {
  process.stderr.write('usage: gen.js <out-dir> <N>\n');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) if (f.endsWith('.graphql')) fs.unlinkSync(path.join(outDir, f));
const pad = (i) => String(i).padStart(3, '0');
for (let i = 0; i < n; i++) {
  const next = (i + 1) % n;
  const far = (i + 7) % n;
  const lines = [
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])',
    '',
    'type Query {',
    `  entity${i}(id: ID!): Entity${i}`,
    `  entities${i}(first: Int = 10, filter: Filter${i}): [Entity${i}!]!`,
    '}',
    '',
    'interface Node {',
    '  id: ID!',
    '}',
    '',
    'type Money @shareable {',
    '  amount: Int!',
    '  currency: String!',
    '}',
    '',
    `enum Status${i} {`,
    '  ACTIVE',
    '  INACTIVE',
    '  ARCHIVED',
    '}',
    '',
    `input Filter${i} {`,
    `  status: Status${i}`,
    '  minAmount: Int',
    '  search: String',
    '}',
    '',
    `"""Entity owned by subgraph ${i}."""`,
    `type Entity${i} implements Node @key(fields: "id") {`,
    '  id: ID!',
    '  name: String!',
    '  description: String',
    `  status: Status${i}!`,
    '  price: Money',
    '  weight: Int',
    '  tags: [String!]!',
    `  related: [Entity${next}!]!`,
    '}',
    '',
    `type Entity${next} @key(fields: "id") {`,
    '  id: ID!',
    `  fromSubgraph${i}: String`,
    '}',
    '',
  ];
  if (far !== i && far !== next) {
    lines.push(
        `type Entity${far} @key(fields: "id") {`,
        '  id: ID!',
        '  weight: Int @external',
        `  shippingFrom${i}: Int @requires(fields: "weight")`,
        '}',
        '');
  }
  fs.writeFileSync(path.join(outDir, `sub${pad(i)}.graphql`), lines.join('\n'));
}
