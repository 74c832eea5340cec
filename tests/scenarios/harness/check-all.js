#!/usr/bin/env node
'use strict';
// Regenerates the whole corpus and proves it is stable:
//   1. composes every scenario (compose.js), twice; the supergraphs must be
//      byte-identical between the two runs;
//   2. writes expected/<n>.json for every request through @apollo/gateway,
//      then runs every request again and requires identical responses;
//   3. flags authoring mistakes: a request without an expected file, a
//      scenario without requests, a data-file expression that threw.
//
//   node check-all.js [scenario...]      (default: every scenario)
//
// Ends with the line "N passed, M failed" (one per scenario) and exit 1 when
// any scenario failed.
const fs = require('fs');
const path = require('path');
const {
  resolveScenarioDir, listScenarios, listRequests,
} = require('./lib/scenario');
const { composeScenario } = require('./compose');
const { generate } = require('./gateway');

function read(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

async function checkScenario(dir) {
  const problems = [];
  const notes = [];
  const first = composeScenario(dir);
  if (first.apollo !== 'ok') {
    return { problems: [`apollo composition failed: ${first.apollo}`], notes };
  }
  const files = ['supergraph.graphql', 'supergraph.guild.graphql'];
  const before = files.map((f) => read(path.join(dir, f)));
  composeScenario(dir);
  files.forEach((f, i) => {
    if (read(path.join(dir, f)) !== before[i]) {
      problems.push(`${f} differs between two compositions`);
    }
  });
  if (first.guild !== 'ok') notes.push(`guild composition failed: ${first.guild}`);
  if (first.apiSchemaDiff) notes.push(`API schemas differ: ${first.apiSchemaDiff}`);

  const requests = listRequests(dir);
  if (requests.length === 0) problems.push('no requests');
  await generate(dir, false);
  const again = await generate(dir, true);
  if (again.diffs.length) {
    problems.push(`unstable responses: ${again.diffs.join(', ')}`);
  }
  for (const { id } of requests) {
    const text = read(path.join(dir, 'expected', `${id}.json`));
    if (text === null) {
      problems.push(`${id}: no expected file`);
    } else if (/__js failed|harness failure|harnessError/.test(text)) {
      problems.push(`${id}: harness or data-file error in the response`);
    }
  }
  return { problems, notes };
}

async function main() {
  const names = process.argv.slice(2);
  const dirs = (names.length ? names : listScenarios()).map(resolveScenarioDir);
  let passed = 0;
  let failed = 0;
  for (const dir of dirs) {
    const name = path.basename(dir);
    const { problems, notes } = await checkScenario(dir);
    for (const n of notes) process.stdout.write(`${name}: note: ${n}\n`);
    if (problems.length) {
      failed++;
      for (const p of problems) process.stdout.write(`${name}: FAIL: ${p}\n`);
    } else {
      passed++;
      process.stdout.write(`${name}: ok\n`);
    }
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed;
}

main().then((failed) => process.exit(failed ? 1 : 0), (e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
