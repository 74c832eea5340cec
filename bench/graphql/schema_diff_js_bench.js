#!/usr/bin/env node
// graphql-js's findSchemaChanges on the two schemas schema_diff_bench generates:
//   ORBIT_SCHEMA_DIFF_DUMP=/tmp/sd build/release/bench/schema_diff_bench
//   node bench/graphql/schema_diff_js_bench.js /tmp/sd
// Prints the mean time per diff of built schemas, and per diff including buildSchema.
'use strict';
const fs = require('fs');
const path = require('path');
const graphql = require(path.join(__dirname, '..', '..', 'tests', 'npm', 'node_modules', 'graphql'));

const dir = process.argv[2];
if (!dir) {
  console.error('usage: schema_diff_js_bench.js DIR (with old.graphql and new.graphql)');
  process.exit(2);
}
const oldSdl = fs.readFileSync(path.join(dir, 'old.graphql'), 'utf8');
const newSdl = fs.readFileSync(path.join(dir, 'new.graphql'), 'utf8');

function measure(fn, seconds) {
  for (let i = 0; i < 3; i++) fn();  // warm up
  const start = process.hrtime.bigint();
  let n = 0;
  while (Number(process.hrtime.bigint() - start) < seconds * 1e9) {
    fn();
    n++;
  }
  return Number(process.hrtime.bigint() - start) / 1e6 / n;
}

const a = graphql.buildSchema(oldSdl);
const b = graphql.buildSchema(newSdl);
let changes = 0;
const diffMs = measure(() => {
  changes = graphql.findSchemaChanges(a, b).length;
}, 3);
const withBuildMs = measure(() => {
  graphql.findSchemaChanges(graphql.buildSchema(oldSdl), graphql.buildSchema(newSdl));
}, 5);
console.log(JSON.stringify({ diff_ms: diffMs, diff_with_build_ms: withBuildMs, changes }));
