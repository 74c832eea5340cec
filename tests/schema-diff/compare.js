#!/usr/bin/env node
// Differential test of Orbit's schema diff (lib/graphql diff/schema_diff.h) against
// graphql-js's findBreakingChanges / findDangerousChanges (tests/npm).
//
//   node compare.js --driver PATH/orbit_schema_diff_driver [--corpus pairs.txt]
//                   [--generated N] [--seed S] [--verbose]
//
// The pairs are those of pairs.txt and N (default 300) pairs from generate.js with seed S
// (default 1): a random schema and a copy with a few random edits. For each pair both sides list their breaking and dangerous changes as
// "GRAPHQL_JS_TYPE coordinate" entries (Orbit's kinds mapped to graphql-js's change types,
// graphql-js's coordinates read from its messages); the two multisets must be equal, and each
// Orbit change must carry the severity of the graphql-js category it maps to. Pairs listed in
// known_differences.json must differ (a listed pair that agrees is reported as stale). The
// corpus must exercise every breaking and dangerous kind of both sides. Last line:
// "N passed, M failed"; exit status 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const here = __dirname;
const npmDir = path.join(here, '..', 'npm', 'node_modules');
let graphql;
try {
  graphql = require(path.join(npmDir, 'graphql'));
} catch (e) {
  console.error('graphql-js is not installed: run `npm ci --prefix tests/npm` first.');
  process.exit(2);
}

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const driver = flag('--driver');
const corpusPath = flag('--corpus', path.join(here, 'pairs.txt'));
const verbose = args.includes('--verbose');
const generatedCount = Number(flag('--generated', '300'));
const seed = Number(flag('--seed', '1'));
if (!driver || !(generatedCount >= 0) || !Number.isInteger(seed)) {
  console.error('usage: compare.js --driver PATH [--corpus FILE] [--generated N] [--seed S] [--verbose]');
  process.exit(2);
}

// Same format as driver.cc reads.
function readCorpus(text) {
  const pairs = [];
  let target = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('=== ')) {
      pairs.push({ name: line.slice(4), old: '', new: '' });
      target = null;
    } else if (line === '--- old' || line === '--- new') {
      target = line.slice(4);
    } else if (target) {
      pairs[pairs.length - 1][target] += line + '\n';
    }
  }
  return pairs;
}

// Orbit kind -> graphql-js change type. Orbit-only kinds map to null and are left out of the
// comparison (see ORBIT_ONLY).
const KIND_TO_JS = {
  TYPE_REMOVED: 'TYPE_REMOVED',
  TYPE_KIND_CHANGED: 'TYPE_CHANGED_KIND',
  FIELD_REMOVED: 'FIELD_REMOVED',
  FIELD_TYPE_CHANGED: 'FIELD_CHANGED_KIND',
  REQUIRED_ARGUMENT_ADDED: 'REQUIRED_ARG_ADDED',
  OPTIONAL_ARGUMENT_ADDED: 'OPTIONAL_ARG_ADDED',
  ARGUMENT_REMOVED: 'ARG_REMOVED',
  ARGUMENT_TYPE_CHANGED: 'ARG_CHANGED_KIND',
  ARGUMENT_DEFAULT_CHANGED: 'ARG_DEFAULT_VALUE_CHANGE',
  ENUM_VALUE_ADDED: 'VALUE_ADDED_TO_ENUM',
  ENUM_VALUE_REMOVED: 'VALUE_REMOVED_FROM_ENUM',
  UNION_MEMBER_ADDED: 'TYPE_ADDED_TO_UNION',
  UNION_MEMBER_REMOVED: 'TYPE_REMOVED_FROM_UNION',
  INTERFACE_ADDED: 'IMPLEMENTED_INTERFACE_ADDED',
  INTERFACE_REMOVED: 'IMPLEMENTED_INTERFACE_REMOVED',
  REQUIRED_INPUT_FIELD_ADDED: 'REQUIRED_INPUT_FIELD_ADDED',
  OPTIONAL_INPUT_FIELD_ADDED: 'OPTIONAL_INPUT_FIELD_ADDED',
  INPUT_FIELD_REMOVED: 'FIELD_REMOVED',
  INPUT_FIELD_TYPE_CHANGED: 'FIELD_CHANGED_KIND',
  INPUT_FIELD_DEFAULT_CHANGED: 'INPUT_FIELD_DEFAULT_VALUE_CHANGE',
  DIRECTIVE_REMOVED: 'DIRECTIVE_REMOVED',
  DIRECTIVE_LOCATION_REMOVED: 'DIRECTIVE_LOCATION_REMOVED',
  DIRECTIVE_REPEATABLE_REMOVED: 'DIRECTIVE_REPEATABLE_REMOVED',
  REQUIRED_DIRECTIVE_ARGUMENT_ADDED: 'REQUIRED_DIRECTIVE_ARG_ADDED',
  DIRECTIVE_ARGUMENT_REMOVED: 'DIRECTIVE_ARG_REMOVED',
};
// Breaking changes graphql-js does not report (lib/graphql/README.md says why).
const ORBIT_ONLY = new Set(['ROOT_TYPE_REMOVED', 'ROOT_TYPE_CHANGED']);

// graphql-js change type -> how to read the coordinate from its message.
const JS_COORDINATE = {
  TYPE_REMOVED: /^(?:Standard scalar )?(\w+) was removed/,
  TYPE_CHANGED_KIND: /^(\w+) changed from/,
  TYPE_REMOVED_FROM_UNION: /was removed from union type (\w+)\.$/,
  VALUE_REMOVED_FROM_ENUM: /^Enum value (\S+) was removed/,
  REQUIRED_INPUT_FIELD_ADDED: /^A required field (\S+) was added/,
  IMPLEMENTED_INTERFACE_REMOVED: /^(\w+) no longer implements/,
  FIELD_REMOVED: /^Field (\S+) was removed/,
  FIELD_CHANGED_KIND: /^Field (\S+) changed type/,
  REQUIRED_ARG_ADDED: /^A required argument (\S+) was added/,
  ARG_REMOVED: /^Argument (\S+) was removed/,
  ARG_CHANGED_KIND: /^Argument (\S+) has changed type/,
  DIRECTIVE_REMOVED: /^Directive (\S+) was removed/,
  DIRECTIVE_ARG_REMOVED: /^Argument (\S+) was removed/,
  REQUIRED_DIRECTIVE_ARG_ADDED: /^A required argument (\S+) was added/,
  DIRECTIVE_REPEATABLE_REMOVED: /^Repeatable flag was removed from (\S+)\.$/,
  DIRECTIVE_LOCATION_REMOVED: /^\w+ was removed from (\S+)\.$/,
  VALUE_ADDED_TO_ENUM: /^Enum value (\S+) was added/,
  TYPE_ADDED_TO_UNION: /was added to union type (\w+)\.$/,
  OPTIONAL_INPUT_FIELD_ADDED: /^An optional field (\S+) was added/,
  OPTIONAL_ARG_ADDED: /^An optional argument (\S+) was added/,
  IMPLEMENTED_INTERFACE_ADDED: /implemented by (\w+)\.$/,
  ARG_DEFAULT_VALUE_CHANGE: /^(\S+) (?:defaultValue was removed|has changed defaultValue)/,
  INPUT_FIELD_DEFAULT_VALUE_CHANGE: /^(\S+) (?:defaultValue was removed|has changed defaultValue)/,
};

function jsChanges(pair) {
  const a = graphql.buildSchema(pair.old);
  const b = graphql.buildSchema(pair.new);
  const out = [];
  const add = (change, severity) => {
    const re = JS_COORDINATE[change.type];
    const m = re && re.exec(change.description);
    if (!m) throw new Error(`cannot read a coordinate from ${change.type}: ${change.description}`);
    out.push({ type: change.type, severity, coordinate: m[1] });
  };
  for (const c of graphql.findBreakingChanges(a, b)) add(c, 'BREAKING');
  for (const c of graphql.findDangerousChanges(a, b)) add(c, 'DANGEROUS');
  return out;
}

const jsSeverity = (type) =>
  type in graphql.BreakingChangeType ? 'BREAKING' : type in graphql.DangerousChangeType ? 'DANGEROUS' : 'SAFE';

const pairs = readCorpus(fs.readFileSync(corpusPath, 'utf8'));
pairs.push(...require('./generate.js').generatePairs(generatedCount, seed));
const known = JSON.parse(fs.readFileSync(path.join(here, 'known_differences.json'), 'utf8'));
// The driver reads one corpus file: all pairs, in the same format.
const os = require('os');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'orbit-schema-diff-'));
const allPath = path.join(tmp, 'pairs.txt');
fs.writeFileSync(allPath, pairs.map((p) => `=== ${p.name}\n--- old\n${p.old}--- new\n${p.new}`).join('\n'));
let driverOutput;
try {
  driverOutput = execFileSync(driver, [allPath], { encoding: 'utf8', maxBuffer: 1 << 26 });
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
const orbitLines = driverOutput
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l));
const orbitByName = new Map(orbitLines.map((r) => [r.name, r]));

let passed = 0;
let failed = 0;
const fail = (name, why) => {
  failed++;
  console.log(`FAIL ${name}: ${why}`);
};
const orbitKindsSeen = new Set();
const jsTypesSeen = new Set();
const names = new Set();

for (const pair of pairs) {
  if (names.has(pair.name)) {
    fail(pair.name, 'duplicate pair name');
    continue;
  }
  names.add(pair.name);
  const orbit = orbitByName.get(pair.name);
  if (!orbit) {
    fail(pair.name, 'no answer from the driver');
    continue;
  }
  let js;
  try {
    js = jsChanges(pair);
  } catch (e) {
    fail(pair.name, `graphql-js: ${e.message}`);
    continue;
  }
  if (orbit.error) {
    fail(pair.name, `Orbit: ${orbit.error}`);
    continue;
  }
  const problems = [];
  const orbitKeys = [];
  for (const c of orbit.changes) {
    if (c.severity === 'SAFE') continue;
    orbitKindsSeen.add(c.kind);
    if (ORBIT_ONLY.has(c.kind)) {
      problems.push(`Orbit-only ${c.kind} ${c.coordinate}`);
      continue;
    }
    const jsType = KIND_TO_JS[c.kind];
    if (!jsType) {
      problems.push(`Orbit kind ${c.kind} (${c.severity}) has no graphql-js counterpart`);
      continue;
    }
    if (jsSeverity(jsType) !== c.severity) {
      problems.push(`${c.kind} is ${c.severity} in Orbit, ${jsType} is ${jsSeverity(jsType)}`);
    }
    orbitKeys.push(`${jsType} ${c.coordinate}`);
  }
  const jsKeys = js.map((c) => {
    jsTypesSeen.add(c.type);
    return `${c.type} ${c.coordinate}`;
  });
  orbitKeys.sort();
  jsKeys.sort();
  const same = orbitKeys.join('\n') === jsKeys.join('\n');
  if (!same) {
    const missing = jsKeys.filter((k) => !orbitKeys.includes(k));
    const extra = orbitKeys.filter((k) => !jsKeys.includes(k));
    problems.push(`only graphql-js: [${missing.join(', ')}]; only Orbit: [${extra.join(', ')}]`);
  }
  const knownReason = known[pair.name];
  if (knownReason !== undefined) {
    if (same && problems.length === 0) {
      fail(pair.name, 'listed in known_differences.json but both sides agree (stale entry)');
    } else {
      passed++;
      if (verbose) console.log(`KNOWN ${pair.name}: ${knownReason} — ${problems.join('; ')}`);
    }
    continue;
  }
  if (problems.length > 0) {
    fail(pair.name, problems.join('; '));
  } else {
    passed++;
    if (verbose) console.log(`ok ${pair.name}: ${orbitKeys.length} breaking/dangerous`);
  }
}
for (const name of Object.keys(known)) {
  if (!names.has(name)) fail(name, 'known_differences.json names a pair that is not in the corpus');
}

// Coverage: every breaking and dangerous kind on both sides appears somewhere.
for (const [kind, info] of Object.entries(KIND_TO_JS)) {
  if (!orbitKindsSeen.has(kind)) fail('(coverage)', `no pair produces Orbit kind ${kind} (${info})`);
}
for (const kind of ORBIT_ONLY) {
  if (!orbitKindsSeen.has(kind)) fail('(coverage)', `no pair produces Orbit kind ${kind}`);
}
for (const type of [...Object.keys(graphql.BreakingChangeType), ...Object.keys(graphql.DangerousChangeType)]) {
  if (!jsTypesSeen.has(type)) fail('(coverage)', `no pair produces graphql-js change ${type}`);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
