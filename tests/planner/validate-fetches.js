#!/usr/bin/env node
'use strict';
// Every subgraph operation in the golden plans (tests/planner/<feature>/operations/*.plan, the
// "# <n> <subgraph>" sections) must be valid against that subgraph's own schema, built by
// @apollo/subgraph from the scenario's subgraphs/<name>.graphql (with _entities, _Any, ...).
// A plan that the subgraph would reject (unknown field, fields that cannot merge, a variable
// of the wrong type) fails here even when the golden text matches.
//
//   node tests/planner/validate-fetches.js     exit status 1 on any invalid fetch
const fs = require('fs');
const path = require('path');
const { load } = require('../scenarios/harness/lib/deps');

const { parse, validate } = load('graphql');
const { buildSubgraphSchema } = load('@apollo/subgraph');

const plannerDir = __dirname;
const scenariosDir = path.resolve(plannerDir, '../scenarios');

function subgraphSchemas(scenario) {
  const dir = path.join(scenariosDir, scenario, 'subgraphs');
  const out = new Map();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.graphql'))) {
    const typeDefs = parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    out.set(f.slice(0, -'.graphql'.length), buildSubgraphSchema({ typeDefs }));
  }
  return out;
}

// The "# <id> <subgraph>" sections of a .plan file: [{subgraph, operation}].
function fetchesOf(planText) {
  const lines = planText.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^# (\d+) (\S+)(?: .*)?$/.exec(lines[i]);
    if (m && i + 1 < lines.length) out.push({ subgraph: m[2], operation: lines[i + 1] });
  }
  return out;
}

let checked = 0;
const failures = [];
for (const feature of fs.readdirSync(plannerDir).sort()) {
  const scenarioFile = path.join(plannerDir, feature, 'scenario');
  if (!fs.existsSync(scenarioFile)) continue;
  const schemas = subgraphSchemas(fs.readFileSync(scenarioFile, 'utf8').trim());
  const opsDir = path.join(plannerDir, feature, 'operations');
  for (const file of fs.readdirSync(opsDir).filter((n) => n.endsWith('.plan')).sort()) {
    for (const { subgraph, operation } of fetchesOf(
        fs.readFileSync(path.join(opsDir, file), 'utf8'))) {
      const where = `${feature}/${file} (${subgraph})`;
      const schema = schemas.get(subgraph);
      checked++;
      if (!schema) {
        failures.push(`${where}: no subgraph named "${subgraph}"`);
        continue;
      }
      let errors;
      try {
        errors = validate(schema, parse(operation));
      } catch (e) {
        errors = [e];
      }
      for (const e of errors) failures.push(`${where}: ${e.message}\n    ${operation}`);
    }
  }
}
for (const f of failures) process.stdout.write(`INVALID ${f}\n`);
process.stdout.write(`${checked} subgraph operations checked, ${failures.length} invalid\n`);
process.exit(failures.length || checked === 0 ? 1 : 0);
