#!/usr/bin/env node
'use strict';
// Random subgraph sets around @fromContext selections (shapes, types, abstract contexts), the
// authorization directives (transitive requirements of @requires and @fromContext, scopes and
// policies applied differently in two subgraphs) and @listSize merging (see random_cases.js
// for use).
const fs = require('fs'); const path = require('path');
const [outDir, countArg, seedArg] = process.argv.slice(2);
let seed = Number(seedArg || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
const H = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@context", "@fromContext", "@authenticated", "@requiresScopes", "@policy", "@listSize"])\n';
const scopes = () => '[' + Array.from({ length: 1 + Math.floor(rnd() * 2) }, () =>
  '[' + Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => `"${pick(['a', 'b', 'c'])}"`).join(', ') + ']').join(', ') + ']';
const auth = (p) => {
  if (!chance(p)) return '';
  return ' ' + pick(['@authenticated', `@requiresScopes(scopes: ${scopes()})`, `@policy(policies: ${scopes()})`]);
};
const argTypes = ['String', 'String!', '[String]', '[String!]', 'Int', '[Int]'];
const fieldTypes = ['String', 'String!', '[String]', '[String!]!', 'Int', 'Int!'];
for (let c = 0; c < Number(countArg); c++) {
  const dir = path.join(outDir, `ctx${String(c).padStart(4, '0')}`);
  fs.mkdirSync(dir, { recursive: true });
  const abstract = chance(0.4);
  const pType = pick(fieldTypes); const qType = pick(fieldTypes);
  let a = H;
  let sel;
  if (abstract) {
    a += `type Query { items: [I] }\n`;
    a += `interface I @context(name: "ctx") { id: ID! u: U! }\n`;
    a += `type A implements I @key(fields: "id")${auth(0.2)} { id: ID! u: U! p: ${pType}${auth(0.2)} }\n`;
    a += `type B implements I @key(fields: "id") { id: ID! u: U! q: ${qType} }\n`;
    if (chance(0.3)) a += `type C @key(fields: "id") { id: ID! p: ${pType} }\n`;
    sel = pick(['... on A { p } ... on B { q }', '... on A { p }', '... on A { p } ... on B { q } ... on C { p }', '... on A { p } q', '{ id }']);
  } else {
    a += `type Query { t: T }\n`;
    a += `type T @key(fields: "id") @context(name: "ctx")${auth(0.2)} { id: ID! p: ${pType}${auth(0.2)} o: O u: U! }\n`;
    a += `type O { n: ${qType}${auth(0.2)} m: Int }\n`;
    sel = pick(['{ p }', '{ o { n } }', '{ o { n m } }', '{ p id }', '{ x: p }', '{ o { n } }']);
  }
  // Mostly the type that fits the selection (non-null dropped), sometimes any.
  const selected = /\bo\b|q \}/.test(sel) && !/p/.test(sel) ? qType : pType;
  const argType = chance(0.6) ? selected.replace(/!/g, '') : pick(argTypes);
  a += `type U @key(fields: "id") { id: ID! f(x: ${argType} @fromContext(field: "$ctx ${sel}")): Int${auth(0.4)} }\n`;
  fs.writeFileSync(path.join(dir, 'a.graphql'), a);
  // b: an entity with @requires on a's fields, shared fields with auth and @listSize.
  let b = H;
  b += `type Query { s: [Int] @shareable${auth(0.4)}${chance(0.4) ? ` @listSize(assumedSize: ${1 + Math.floor(rnd() * 5)}${chance(0.5) ? ', requireOneSlicingArgument: false' : ''})` : ''} }\n`;
  let q = H + `type Query { s: [Int] @shareable${auth(0.4)}${chance(0.4) ? ` @listSize(assumedSize: ${1 + Math.floor(rnd() * 5)}${chance(0.5) ? ', requireOneSlicingArgument: false' : ''})` : ''} }\n`;
  if (!abstract) {
    b += `type T @key(fields: "id")${auth(0.2)} { id: ID! p: ${pType} @external r: Int @requires(fields: "p")${auth(0.5)} }\n`;
  }
  fs.writeFileSync(path.join(dir, 'b.graphql'), b);
  fs.writeFileSync(path.join(dir, 'c.graphql'), q);
}
