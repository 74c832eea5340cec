// graphql-js side of the lib/graphql stage benchmarks: the same documents and operations
// as graphql_bench.cc, each timed for about two seconds after a warm-up. Prints JSON
// {name: {ns_per_op, bytes}} on stdout.
'use strict';
const fs = require('fs');
const path = require('path');
const g = require(path.join(__dirname, '../../tests/npm/node_modules/graphql'));

const dataDir = path.join(__dirname, 'data');
const read = (f) => fs.readFileSync(path.join(dataDir, f), 'utf8');
const files = {
  small_query: read('small_query.graphql'),
  large_query: read('large_query.graphql'),
  schema_sdl: read('schema.graphql'),
};
const schema = g.buildSchema(files.schema_sdl);

function measure(fn, minMs = 2000) {
  for (let i = 0; i < 20; i++) fn();  // warm-up (JIT)
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(minMs) * 1000000n) {
    for (let i = 0; i < 10; i++) fn();
    iterations += 10;
    elapsed = process.hrtime.bigint() - start;
  }
  return Number(elapsed) / iterations;
}

const results = {};
for (const [name, src] of Object.entries(files)) {
  results[`BM_Parse/${name}`] = { ns_per_op: measure(() => g.parse(src)), bytes: Buffer.byteLength(src) };
}
for (const name of ['small_query', 'large_query']) {
  const doc = g.parse(files[name]);
  results[`BM_Validate/${name}`] = {
    ns_per_op: measure(() => { if (g.validate(schema, doc).length) throw new Error('invalid'); }),
    bytes: Buffer.byteLength(files[name]),
  };
}
{
  const doc = g.parse(files.large_query);
  results['BM_Print/large_query'] = { ns_per_op: measure(() => g.print(doc)), bytes: Buffer.byteLength(files.large_query) };
  results['BM_BuildSchema'] = { ns_per_op: measure(() => g.buildSchema(files.schema_sdl)), bytes: Buffer.byteLength(files.schema_sdl) };
}
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
