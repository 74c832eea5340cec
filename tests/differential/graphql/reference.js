'use strict';
// The reference side of the differential test: answers a corpus with graphql-js exactly the
// way driver.cc answers it with Orbit (same JSON lines, see driver.cc's header).
//
//   node reference.js corpus.json > reference.jsonl
//
// Parsing passes allowEmptySelectionSets:false: graphql-js 17 accepts `{}` by default, the
// spec (and Orbit) does not. Validation runs one rule at a time so each error is attributed
// to its rule; the @defer/@stream rules are left out (Orbit does not implement them).
const fs = require('fs');
const { loadGraphql, loadGraphqlModule } = require('./graphql_js.js');

const graphql = loadGraphql();
// validateSDL is what buildSchema runs first; not exported from graphql's index.
const { validateSDL } = loadGraphqlModule('validation/validate.js');

const kExcludedRules = new Set([
  'DeferStreamDirectiveOnRootFieldRule',
  'DeferStreamDirectiveOnValidOperationsRule',
  'DeferStreamDirectiveLabelRule',
  'StreamDirectiveOnListFieldRule',
]);

const kParseOptions = { allowEmptySelectionSets: false };

function comparedRules() {
  return graphql.specifiedRules.filter((rule) => !kExcludedRules.has(rule.name));
}

function locationsOf(error) {
  return (error.locations || []).map((l) => [l.line, l.column]);
}

function compareLocations(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); ++i) {
    if (a[i][0] !== b[i][0]) return a[i][0] - b[i][0];
    if (a[i][1] !== b[i][1]) return a[i][1] - b[i][1];
  }
  return a.length - b.length;
}

function buildSchema(name, sdl) {
  try {
    const schema = graphql.buildSchema(sdl);
    const errors = graphql.validateSchema(schema);
    return {
      line: {
        schema: name,
        ok: errors.length === 0,
        errors: sortErrors(errors.map((e) => ({ message: e.message, locations: locationsOf(e) }))),
      },
      schema: errors.length === 0 ? schema : null,
    };
  } catch (e) {
    return {
      line: {
        schema: name,
        ok: false,
        errors: [{ message: e.message, locations: locationsOf(e) }],
      },
      schema: null,
    };
  }
}

function sortErrors(errors) {
  return errors.sort(
    (a, b) => compareLocations(a.locations, b.locations) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

// The errors graphql-js's buildSchema + validateSchema report, one by one: the SDL rules
// first (buildSchema throws all of them joined in one message), then the type-system checks.
function buildSdl(document) {
  const toLine = (e) => ({ message: e.message, locations: locationsOf(e) });
  const sdlErrors = validateSDL(document);
  if (sdlErrors.length > 0) return { ok: false, errors: sortErrors(sdlErrors.map(toLine)) };
  try {
    const schema = graphql.buildASTSchema(document, { assumeValidSDL: true });
    const errors = graphql.validateSchema(schema).map(toLine);
    return { ok: errors.length === 0, errors: sortErrors(errors) };
  } catch (e) {
    return { ok: false, errors: [toLine(e)] };
  }
}

function validateByRule(schema, document, rules) {
  const out = [];
  rules.forEach((rule, index) => {
    for (const e of graphql.validate(schema, document, [rule])) {
      out.push({ index, rule: rule.name, message: e.message, locations: locationsOf(e) });
    }
  });
  out.sort(
    (a, b) =>
      a.index - b.index ||
      compareLocations(a.locations, b.locations) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  return out.map(({ rule, message, locations }) => ({ rule, message, locations }));
}

function runCase(c, schemas, rules) {
  const result = { id: c.id };
  let document;
  try {
    document = graphql.parse(c.document, kParseOptions);
    result.parse = { ok: true };
  } catch (e) {
    result.parse = { ok: false, message: e.message };
    if (e.locations && e.locations.length > 0) {
      result.parse.line = e.locations[0].line;
      result.parse.column = e.locations[0].column;
    }
    return result;
  }
  result.printed = graphql.print(document);
  if (c.schema !== undefined) {
    const schema = schemas.get(c.schema);
    if (schema) result.validation = validateByRule(schema, document, rules);
  }
  if (c.sdl) result.schema_build = buildSdl(document);
  return result;
}

// Returns the lines driver.cc would print for `corpus`, as objects.
function run(corpus) {
  const rules = comparedRules();
  const lines = [{ header: { rules: rules.map((r) => r.name) } }];
  const schemas = new Map();
  for (const [name, sdl] of Object.entries(corpus.schemas || {})) {
    const built = buildSchema(name, sdl);
    lines.push(built.line);
    schemas.set(name, built.schema);
  }
  for (const c of corpus.cases) lines.push(runCase(c, schemas, rules));
  return lines;
}

module.exports = { run, comparedRules, graphql };

if (require.main === module) {
  if (process.argv.length < 3) {
    process.stderr.write('usage: node reference.js corpus.json\n');
    process.exit(2);
  }
  const corpus = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  for (const line of run(corpus)) process.stdout.write(JSON.stringify(line) + '\n');
}
