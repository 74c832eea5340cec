'use strict';
// Differential test of lib/graphql against graphql-js: runs the corpus through the Orbit
// driver (driver.cc) and through graphql-js (reference.js) and compares, per case, parse
// success and error (message, line, column), the printed document, and the validation errors
// (rule, message, locations) as multisets; for cases marked `sdl`, the errors of building the
// document as a schema; per corpus schema, whether it builds.
//
//   node compare.js --driver build/dev/tests/differential/graphql/orbit_graphql_diff
//       [--show N]         mismatches printed in full (default 25)
//       [--filter REGEX]   only cases whose id matches
//       [--seed S] [--generated N]   generator settings (defaults in generate.js)
//       [--dump FILE]      also write the corpus JSON to FILE (to run the driver by hand)
//
// Mismatches listed in known_differences.json (case id + area, with the reason) are reported
// but do not fail the test. Exit status: 0 when nothing else differs, 1 otherwise, 2 on a
// usage or setup error. The last line is "N passed, M failed".
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function usage(message) {
  process.stderr.write(`${message}\nusage: node compare.js --driver PATH [--show N] [--filter REGEX] ` +
    '[--seed S] [--generated N] [--dump FILE]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { show: 25 };
  for (let i = 0; i < argv.length; ++i) {
    const next = () => {
      if (i + 1 >= argv.length) usage(`${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--driver': args.driver = next(); break;
      case '--show': args.show = Number(next()); break;
      case '--filter': args.filter = new RegExp(next()); break;
      case '--seed': args.seed = Number(next()); break;
      case '--generated': args.generated = Number(next()); break;
      case '--dump': args.dump = next(); break;
      default: usage(`unknown argument ${argv[i]}`);
    }
  }
  if (!args.driver) usage('--driver is required');
  return args;
}

// Runs the driver over the corpus, resuming after the case that crashed it (if any), so that
// one crash costs one case. Returns {header, schemas: Map, cases: Map id -> line}.
function runDriver(driver, corpus, corpusFile) {
  const out = { header: null, schemas: new Map(), cases: new Map() };
  let from = 0;
  let runCorpus = corpus;
  let runFile = corpusFile;
  while (from < corpus.cases.length) {
    const result = childProcess.spawnSync(driver, ['--from', String(from), runFile], {
      maxBuffer: 1 << 30,
      encoding: 'utf8',
      timeout: 600 * 1000,
      env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1' },
    });
    if (result.error && result.error.code !== 'ETIMEDOUT') {
      process.stderr.write(`cannot run ${driver}: ${result.error.message}\n`);
      process.exit(2);
    }
    let schemasSeen = 0;
    let received = 0;
    for (const text of (result.stdout || '').split('\n')) {
      if (!text.startsWith('{')) continue;
      let line;
      try {
        line = JSON.parse(text);
      } catch (e) {
        continue;
      }
      if (line.header) {
        out.header = out.header || line.header;
      } else if (line.schema !== undefined) {
        ++schemasSeen;
        if (!out.schemas.has(line.schema)) out.schemas.set(line.schema, line);
      } else if (line.id !== undefined) {
        out.cases.set(line.id, line);
        ++received;
      }
    }
    if (result.status === 0) break;
    const why = result.signal ? `killed by ${result.signal}` : `exit status ${result.status}`;
    const stderr = (result.stderr || '').split('\n').filter((l) => l.trim() !== '');
    const detail = `${why}\n${stderr.slice(0, 12).join('\n')}`;
    if (schemasSeen < Object.keys(runCorpus.schemas).length) {
      // Crashed while building a schema: drop that schema and go on without it.
      const names = Object.keys(runCorpus.schemas);
      const bad = names[schemasSeen];
      out.schemas.set(bad, { schema: bad, ok: false, crash: detail, errors: [] });
      const schemas = { ...runCorpus.schemas };
      delete schemas[bad];
      runCorpus = { ...runCorpus, schemas };
      runFile = `${corpusFile}.${Object.keys(schemas).length}`;
      fs.writeFileSync(runFile, JSON.stringify(runCorpus));
      continue;
    }
    const crashed = from + received;
    if (crashed >= corpus.cases.length) break;
    out.cases.set(corpus.cases[crashed].id, { id: corpus.cases[crashed].id, crash: detail });
    from = crashed + 1;
  }
  return out;
}

function errorKey(e) {
  return `${e.rule} ${JSON.stringify(e.locations)} ${e.message}`;
}

function multisetDiff(expected, actual) {
  const counts = new Map();
  for (const k of expected) counts.set(k, (counts.get(k) || 0) + 1);
  const extra = [];
  for (const k of actual) {
    if (counts.get(k) > 0) counts.set(k, counts.get(k) - 1);
    else extra.push(k);
  }
  const missing = [];
  for (const [k, n] of counts) for (let i = 0; i < n; ++i) missing.push(k);
  return { missing, extra };
}

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); ++i) {
    if (la[i] !== lb[i]) {
      return `line ${i + 1}:\ngraphql-js: ${JSON.stringify(la[i])}\norbit:      ${JSON.stringify(lb[i])}`;
    }
  }
  return '(same lines)';
}

function describeParse(p) {
  if (!p) return 'no answer';
  if (p.ok) return 'ok';
  return `${JSON.stringify(p.message)} at ${p.line}:${p.column}`;
}

// Returns the mismatches of one case: [{area, detail}].
function compareCase(ref, orbit) {
  if (!orbit) return [{ area: 'missing', detail: 'the driver gave no answer' }];
  if (orbit.crash) return [{ area: 'crash', detail: orbit.crash }];
  const diffs = [];
  if (ref.parse.ok !== orbit.parse.ok) {
    diffs.push({ area: 'parse', detail: `graphql-js: ${describeParse(ref.parse)}\norbit:      ${describeParse(orbit.parse)}` });
    return diffs;
  }
  if (!ref.parse.ok) {
    if (ref.parse.message !== orbit.parse.message || ref.parse.line !== orbit.parse.line ||
        ref.parse.column !== orbit.parse.column) {
      diffs.push({ area: 'parse-error', detail: `graphql-js: ${describeParse(ref.parse)}\norbit:      ${describeParse(orbit.parse)}` });
    }
    return diffs;
  }
  if (ref.printed !== orbit.printed) {
    diffs.push({ area: 'print', detail: firstDifference(ref.printed, orbit.printed || '') });
  }
  if (ref.schema_build) {
    const b = orbit.schema_build;
    if (!b) {
      diffs.push({ area: 'schema-build', detail: 'orbit did not build the document as a schema' });
    } else {
      const key = (e) => `${JSON.stringify(e.locations)} ${e.message}`;
      const { missing, extra } = multisetDiff(ref.schema_build.errors.map(key), b.errors.map(key));
      if (ref.schema_build.ok !== b.ok || missing.length > 0 || extra.length > 0) {
        diffs.push({ area: 'schema-build', detail: [
          `graphql-js ${ref.schema_build.ok ? 'accepts' : 'rejects'}, orbit ${b.ok ? 'accepts' : 'rejects'}`,
          ...missing.map((k) => `only graphql-js: ${k}`), ...extra.map((k) => `only orbit:      ${k}`)].join('\n') });
      }
    }
  }
  if (ref.validation) {
    if (!orbit.validation) {
      diffs.push({ area: 'validation', detail: 'orbit did not validate (schema missing?)' });
    } else {
      const { missing, extra } = multisetDiff(ref.validation.map(errorKey), orbit.validation.map(errorKey));
      const rules = new Set([...missing, ...extra].map((k) => k.split(' ')[0]));
      for (const rule of [...rules].sort()) {
        const m = missing.filter((k) => k.startsWith(`${rule} `));
        const x = extra.filter((k) => k.startsWith(`${rule} `));
        const lines = [...m.map((k) => `only graphql-js: ${k.slice(rule.length + 1)}`),
          ...x.map((k) => `only orbit:      ${k.slice(rule.length + 1)}`)];
        diffs.push({ area: `validation:${rule}`, detail: lines.join('\n') });
      }
    }
  }
  return diffs;
}

function loadKnownDifferences() {
  const file = path.join(__dirname, 'known_differences.json');
  const known = new Map();
  if (!fs.existsSync(file)) return known;
  for (const entry of JSON.parse(fs.readFileSync(file, 'utf8')).differences) {
    known.set(`${entry.id} ${entry.area}`, entry);
  }
  return known;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const reference = require('./reference.js');
  const { loadCorpus } = require('./corpus.js');
  const corpus = loadCorpus({ seed: args.seed, generated: args.generated });
  if (args.filter) corpus.cases = corpus.cases.filter((c) => args.filter.test(c.id));
  corpus.rules = reference.comparedRules().map((r) => r.name);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orbit-graphql-diff-'));
  const corpusFile = path.join(dir, 'corpus.json');
  fs.writeFileSync(corpusFile, JSON.stringify(corpus));
  if (args.dump) fs.writeFileSync(args.dump, JSON.stringify(corpus, null, 1));

  const started = Date.now();
  const refLines = reference.run(corpus);
  const refTime = Date.now() - started;
  const orbit = runDriver(args.driver, corpus, corpusFile);
  const orbitTime = Date.now() - started - refTime;
  fs.rmSync(dir, { recursive: true, force: true });

  const known = loadKnownDifferences();
  const usedKnown = new Set();
  const failures = [];
  const knownSeen = [];
  let passed = 0;
  const byArea = new Map();
  const record = (id, diffs) => {
    const open = [];
    for (const d of diffs) {
      const k = `${id} ${d.area}`;
      if (known.has(k)) {
        usedKnown.add(k);
        knownSeen.push({ id, ...d, reason: known.get(k).reason });
      } else {
        open.push(d);
        byArea.set(d.area, (byArea.get(d.area) || 0) + 1);
      }
    }
    if (open.length === 0) ++passed;
    else failures.push({ id, diffs: open });
  };

  const refRules = refLines[0].header.rules;
  const orbitRules = (orbit.header && orbit.header.rules) || [];
  const missingRules = refRules.filter((r) => !orbitRules.includes(r));

  let stats = { valid: 0, invalid: 0, withErrors: 0 };
  for (const line of refLines.slice(1)) {
    if (line.schema !== undefined) {
      const o = orbit.schemas.get(line.schema);
      const diffs = [];
      if (!line.ok) diffs.push({ area: 'schema', detail: `graphql-js rejects the corpus schema: ${JSON.stringify(line.errors)}` });
      if (!o) diffs.push({ area: 'schema', detail: 'the driver did not build it' });
      else if (o.crash) diffs.push({ area: 'crash', detail: o.crash });
      else if (o.ok !== line.ok) diffs.push({ area: 'schema', detail: `orbit ${o.ok ? 'accepts' : 'rejects'} it: ${JSON.stringify(o.errors)}` });
      record(`schema:${line.schema}`, diffs);
      continue;
    }
    if (line.parse.ok) ++stats.valid;
    else ++stats.invalid;
    if (line.validation && line.validation.length > 0) ++stats.withErrors;
    record(line.id, compareCase(line, orbit.cases.get(line.id)));
  }

  const out = [];
  out.push(`graphql differential: ${corpus.cases.length} documents (${stats.valid} parse, ` +
    `${stats.invalid} do not; ${stats.withErrors} with validation errors), ` +
    `${Object.keys(corpus.schemas).length} schemas, ${refRules.length} rules; ` +
    `graphql-js ${(refTime / 1000).toFixed(1)}s, orbit ${(orbitTime / 1000).toFixed(1)}s`);
  if (missingRules.length > 0) out.push(`rules orbit does not know: ${missingRules.join(', ')}`);
  if (byArea.size > 0) {
    out.push('mismatches by area:');
    for (const [area, n] of [...byArea].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      out.push(`  ${String(n).padStart(5)}  ${area}`);
    }
  }
  if (knownSeen.length > 0) out.push(`${knownSeen.length} known differences (known_differences.json)`);
  const stale = [...known.keys()].filter((k) => !usedKnown.has(k));
  if (stale.length > 0 && !args.filter) out.push(`known differences that no longer occur (remove them): ${stale.join(', ')}`);
  const shown = failures.slice(0, args.show);
  if (shown.length > 0) out.push(`first ${shown.length} of ${failures.length} failing cases:`);
  const caseById = new Map(corpus.cases.map((c) => [c.id, c]));
  for (const f of shown) {
    out.push(`--- ${f.id}`);
    const c = caseById.get(f.id);
    if (c) {
      const doc = c.document.length > 600 ? `${c.document.slice(0, 600)}…` : c.document;
      out.push(`  document${c.schema ? ` (schema ${c.schema})` : ''}: ${JSON.stringify(doc)}`);
    }
    for (const d of f.diffs) {
      out.push(`  [${d.area}]`);
      for (const l of d.detail.split('\n')) out.push(`    ${l.trimStart()}`);
    }
  }
  out.push(`${passed} passed, ${failures.length} failed`);
  process.stdout.write(`${out.join('\n')}\n`);
  process.exit(failures.length > 0 ? 1 : 0);
}

main();
