// Generates the benchmark documents deterministically (seeded): a commerce-like schema of
// about 80 types, a large operation valid against it (~100 KB, fragments, variables,
// arguments, aliases, directives) and a small operation (~1 KB). Run: node gen_data.js
'use strict';
const fs = require('fs');
const path = require('path');

let seed = 42;
function rand() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function pick(a) { return a[Math.floor(rand() * a.length)]; }

const nTypes = 80;
const types = [];
for (let i = 0; i < nTypes; i++) types.push(`Entity${i}`);
let sdl = '"""Benchmark schema."""\nschema { query: Query }\n\n';
sdl += 'scalar DateTime\n\nenum Sort { ASC DESC RELEVANCE }\n\n';
sdl += 'input Filter { text: String, min: Int, max: Int, tags: [String!], sort: Sort = ASC }\n\n';
sdl += 'interface Node { id: ID! }\n\n';
const fieldsOf = {};
for (let i = 0; i < nTypes; i++) {
  const fields = ['id: ID!', 'name: String', 'createdAt: DateTime', 'score: Float', 'count: Int'];
  const links = [];
  for (let k = 0; k < 4; k++) {
    const t = types[(i + 1 + k * 7) % nTypes];
    links.push([`rel${k}`, t]);
    fields.push(`rel${k}(first: Int = 10, filter: Filter): [${t}!]!`);
  }
  fieldsOf[types[i]] = links;
  sdl += `"""Entity number ${i}."""\ntype ${types[i]} implements Node {\n  ` +
         fields.join('\n  ') + '\n}\n\n';
}
sdl += 'union SearchResult = ' + types.slice(0, 10).join(' | ') + '\n\n';
sdl += 'type Query {\n  node(id: ID!): Node\n  search(filter: Filter!): [SearchResult!]!\n';
for (let i = 0; i < 10; i++) sdl += `  root${i}(id: ID!): ${types[i]}\n`;
sdl += '}\n';

function selection(type, depth, budget) {
  const parts = ['id', 'name'];
  if (rand() < 0.5) parts.push('score');
  if (rand() < 0.3) parts.push('createdAt @include(if: $withDates)');
  if (depth > 0) {
    for (const [f, t] of fieldsOf[type]) {
      if (budget.n <= 0) break;
      if (rand() < 0.55) {
        budget.n--;
        const alias = rand() < 0.3 ? `a${Math.floor(rand() * 1000)}: ` : '';
        const args = rand() < 0.5 ? '(first: $first, filter: {text: "x", sort: DESC, tags: ["a", "b"]})' : '';
        parts.push(`${alias}${f}${args} {\n${selection(t, depth - 1, budget)}\n}`);
      }
    }
  }
  if (rand() < 0.2) parts.push(`...F${type}`);
  return parts.join('\n');
}

function operation(nRoots, depth, budgetN) {
  const budget = { n: budgetN };
  let q = '';
  for (let i = 0; i < nRoots; i++) {
    const t = types[i % 10];
    q += `r${i}: root${i % 10}(id: $id) {\n${selection(t, depth, budget)}\n}\n`;
  }
  q += 'search(filter: {text: "q"}) {\n__typename\n';
  for (let i = 0; i < 10; i++) q += `... on ${types[i]} { id name }\n`;
  q += '}\n}\n';
  const vars = ['$first: Int = 5', '$withDates: Boolean = false', '$id: ID!']
      .filter((v) => q.includes(v.split(':')[0] + ')') || q.includes(v.split(':')[0] + ','));
  q = `query Bench(${vars.join(', ')}) {\n` + q;
  // Fragments for every type referenced as ...F<type>.
  const used = new Set(q.match(/\.\.\.FEntity\d+/g) || []);
  for (const u of used) {
    const t = u.slice(4);
    q += `\nfragment F${t} on ${t} {\n  id\n  count\n  name\n}\n`;
  }
  return q;
}

const out = path.join(__dirname, 'data');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'schema.graphql'), sdl);
fs.writeFileSync(path.join(out, 'large_query.graphql'), operation(60, 4, 1400));
fs.writeFileSync(path.join(out, 'small_query.graphql'), operation(1, 2, 6));
for (const f of ['schema.graphql', 'large_query.graphql', 'small_query.graphql']) {
  console.log(f, fs.statSync(path.join(out, f)).size, 'bytes');
}
