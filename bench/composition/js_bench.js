#!/usr/bin/env node
'use strict';
// Times @theguild/federation-composition and @apollo/composition on the inputs of
// composition_bench (same files, same routing URLs): each composer runs for `seconds` after a
// warm-up; prints {"<input>": {"guild_ms": x, "apollo_ms": y, "subgraphs": n}, "versions": {...}}.
//
//   node js_bench.js <shop-dir> <gen60-dir> <gen200-dir> [seconds]
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const npmDir = path.resolve(__dirname, '../../tests/npm-federation');
const req = createRequire(path.join(npmDir, 'package.json'));
const { parse } = req('graphql');
const guild = req('@theguild/federation-composition');
const apollo = req('@apollo/composition');
const version = (p) => JSON.parse(fs.readFileSync(req.resolve(`${p}/package.json`), 'utf8')).version;

const [shop, gen60, gen200, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 3);

function load(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort().map((f) => {
    const name = f.slice(0, -'.graphql'.length);
    return { name, url: `http://${name}:4000/graphql`, sdl: fs.readFileSync(path.join(dir, f), 'utf8') };
  });
}

// Parsing the SDL is part of the work (Orbit's compose() parses too).
function timeIt(compose, subgraphs) {
  const once = () => {
    const r = compose(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
    if (r.errors && r.errors.length) throw new Error(r.errors[0].message);
  };
  once();
  let runs = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < end || runs < 3) {
    once();
    runs++;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e6 / runs;
}

const out = { versions: { guild: version('@theguild/federation-composition'), apollo: version('@apollo/composition'), node: process.version } };
for (const [name, dir] of [['shop', shop], ['gen60', gen60], ['gen200', gen200]]) {
  const subgraphs = load(dir);
  out[name] = {
    subgraphs: subgraphs.length,
    guild_ms: timeIt(guild.composeServices, subgraphs),
    apollo_ms: timeIt(apollo.composeServices, subgraphs),
  };
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
