#!/usr/bin/env node
'use strict';
// Random federated subgraph sets (2-4 subgraphs: entities with keys, shared and external
// fields, @requires/@provides/@override/@inaccessible/@tag, value types, enums, inputs,
// interfaces) for exploring Orbit's composition against Apollo's beyond the corpus:
//
//   node random_cases.js <out-dir> <count> [seed]
//   ORBIT_COMPOSITION_CASES=<out-dir> build/<dir>/tests/composition/composition_test
//
// The gen-* cases of the corpus came from it. Deterministic for a seed.
const fs = require('fs'); const path = require('path');
const [outDir, countArg, seedArg] = process.argv.slice(2);
let seed = Number(seedArg || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
const H = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@override", "@inaccessible", "@tag", "@interfaceObject"])\n';
for (let c = 0; c < Number(countArg); c++) {
  const dir = path.join(outDir, `r${String(c).padStart(4, '0')}`);
  fs.mkdirSync(dir, { recursive: true });
  const n = 2 + Math.floor(rnd() * 3);
  const names = ['a', 'b', 'c', 'd'].slice(0, n);
  const scalars = ['Int', 'String', 'Int!', 'String!', '[Int]', '[String!]!', 'Float'];
  // global design
  const entityFields = {};
  for (const e of ['E1', 'E2', 'E3']) entityFields[e] = ['f1', 'f2', 'f3', 'f4'].map((f) => ({ f, t: pick(scalars) }));
  for (let s = 0; s < n; s++) {
    let sdl = H;
    const q = [];
    const types = [];
    for (const e of ['E1', 'E2', 'E3']) {
      if (!chance(0.6)) continue;
      const key = pick(['id', 'id', 'id sku']);
      const fields = ['id: ID!'];
      if (key.includes('sku')) fields.push('sku: String!');
      const ext = [];
      for (const { f, t } of entityFields[e]) {
        if (!chance(0.5)) continue;
        const tt = chance(0.1) ? pick(scalars) : t;
        let d = '';
        if (chance(0.3)) d += ' @shareable';
        if (chance(0.15)) { d = ' @external'; ext.push(f); }
        if (chance(0.08)) d += ` @override(from: "${pick(names)}")`;
        if (chance(0.08)) d += ' @inaccessible';
        if (chance(0.1)) d += ` @tag(name: "${pick(['x', 'y'])}")`;
        fields.push(`${f}: ${tt}${d}`);
      }
      if (ext.length && chance(0.7)) fields.push(`computed${s}: Int @requires(fields: "${ext.join(' ')}")`);
      if (chance(0.3)) fields.push(`link${s}: ${pick(['E1', 'E2', 'E3', 'V'])}` + (chance(0.3) ? ' @provides(fields: "f1")' : ''));
      const keyDir = chance(0.1) ? `@key(fields: "${key}", resolvable: false)` : `@key(fields: "${key}")`;
      types.push(`type ${e} ${keyDir}${chance(0.05) ? ' @shareable' : ''} {\n  ${fields.join('\n  ')}\n}`);
      if (chance(0.5)) q.push(`${e.toLowerCase()}s${chance(0.5) ? s : ''}: [${e}]${chance(0.3) ? ' @shareable' : ''}`);
    }
    if (chance(0.5)) {
      types.push(`type V${chance(0.7) ? ' @shareable' : ''} {\n  x: Int\n${chance(0.5) ? '  y: String\n' : ''}}`);
      if (chance(0.5)) q.push(`v${s}: V`);
    }
    if (chance(0.4)) {
      const vals = ['A', 'B', 'C'].filter(() => chance(0.7));
      if (vals.length) {
        types.push(`enum Color {\n  ${vals.join('\n  ')}\n}`);
        q.push(pick([`color${s}: Color`, `byColor${s}(c: Color): Int`, `both${s}(c: Color): Color`]));
      }
    }
    if (chance(0.3)) {
      const fields = ['a: Int', 'b: String!', 'c: [Int]', 'd: Int = 3'].filter(() => chance(0.6));
      if (fields.length) {
        types.push(`input Filter {\n  ${fields.join('\n  ')}\n}`);
        q.push(`search${s}(filter: Filter${chance(0.5) ? '!' : ''}): Int`);
      }
    }
    if (chance(0.3)) {
      types.push('interface Node {\n  id: ID!\n}');
      q.push(`node${s}(id: ID!): Node`);
      if (types.some((t) => t.startsWith('type E1 '))) {
        const i = types.findIndex((t) => t.startsWith('type E1 '));
        types[i] = types[i].replace('type E1 ', 'type E1 implements Node ');
      }
    }
    // Define what is referenced but missing.
    const body = q.join('\n') + types.join('\n');
    for (const e of ['E1', 'E2', 'E3']) {
      if (new RegExp(`\\b${e}\\b`).test(body) && !types.some((t) => t.startsWith(`type ${e} `)))
        types.push(`type ${e} @key(fields: "id") {\n  id: ID!\n}`);
    }
    if (/\bV\b/.test(body) && !types.some((t) => t.startsWith('type V')))
      types.push('type V @shareable {\n  x: Int\n}');
    if (q.length) sdl += `type Query {\n  ${q.join('\n  ')}\n}\n\n`;
    sdl += types.join('\n\n') + '\n';
    fs.writeFileSync(path.join(dir, `${names[s]}.graphql`), sdl);
  }
}
