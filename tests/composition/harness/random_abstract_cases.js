#!/usr/bin/env node
'use strict';
// Random subgraph sets around abstract types (see random_cases.js for use): interfaces with/without keys, implementations spread
// over subgraphs, @interfaceObject, unions with members in different subgraphs.
const fs = require('fs'); const path = require('path');
const [outDir, countArg, seedArg] = process.argv.slice(2);
let seed = Number(seedArg || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const chance = (p) => rnd() < p;
const H = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@interfaceObject"])\n';
for (let c = 0; c < Number(countArg); c++) {
  const dir = path.join(outDir, `abs${String(c).padStart(4, '0')}`);
  fs.mkdirSync(dir, { recursive: true });
  const n = 2 + Math.floor(rnd() * 2);
  const names = ['a', 'b', 'c'].slice(0, n);
  const itfKeyed = chance(0.6);
  const impls = ['Book', 'Movie', 'Song'];
  const owner = Math.floor(rnd() * n);  // subgraph defining the interface as an interface
  for (let s = 0; s < n; s++) {
    const types = [];
    const q = [];
    if (s === owner || chance(0.3)) {
      const mine = impls.filter(() => chance(0.6) || s === owner);
      types.push(`interface Media${itfKeyed ? ' @key(fields: "id")' : ''} {\n  id: ID!\n  title: String${chance(0.2) ? '\n  year: Int' : ''}\n}`);
      for (const t of mine) {
        types.push(`type ${t} implements Media @key(fields: "id") {\n  id: ID!\n  title: String${chance(0.5) ? ' @shareable' : ''}\n  ${t.toLowerCase()}Only${s}: Int\n}`);
      }
      q.push(`media${s}: [Media]`);
    } else if (itfKeyed && chance(0.6)) {
      types.push(`type Media @key(fields: "id") @interfaceObject {\n  id: ID!\n  rating${s}: Int${chance(0.3) ? '\n  title: String @external' : ''}\n}`);
      if (chance(0.5)) q.push(`topMedia${s}: Media`);
    } else {
      const t = pick(impls);
      types.push(`type ${t} @key(fields: "id") {\n  id: ID!\n  extra${s}: String\n}`);
    }
    if (chance(0.5)) {
      const members = impls.filter(() => chance(0.5));
      const defined = members.filter((m) => types.some((t) => t.startsWith(`type ${m} `)));
      if (defined.length) {
        types.push(`union Result = ${defined.join(' | ')}`);
        q.push(`search${s}: [Result]`);
      }
    }
    let sdl = H;
    if (q.length) sdl += `type Query {\n  ${q.join('\n  ')}\n}\n\n`;
    sdl += types.join('\n\n') + '\n';
    fs.writeFileSync(path.join(dir, `${names[s]}.graphql`), sdl);
  }
}
