#!/usr/bin/env node
'use strict';
// Composes each scenario's subgraphs into supergraph.graphql with
// @apollo/composition, and into supergraph.guild.graphql with
// @theguild/federation-composition; reports where the two disagree (one
// fails, or the API schemas derived from the two supergraphs differ).
//
//   node compose.js [scenario...]      (default: every scenario)
//
// Exit status 1 when @apollo/composition fails for a scenario.
const fs = require('fs');
const path = require('path');
const { load } = require('./lib/deps');
const {
  resolveScenarioDir, listScenarios, loadSubgraphs,
} = require('./lib/scenario');

const { parse, printSchema, lexicographicSortSchema } = load('graphql');
const apollo = load('@apollo/composition');
const guild = load('@theguild/federation-composition');
const { Supergraph } = load('@apollo/federation-internals');

// Routing URLs in committed supergraphs never resolve: tests substitute the
// URLs that serve.js prints.
function routingUrl(name) {
  return `http://${name}.scenario.invalid/graphql`;
}

function apiSchemaText(supergraphSdl) {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return printSchema(lexicographicSortSchema(api));
}

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      return `line ${i + 1}: apollo "${la[i] ?? ''}" vs guild "${lb[i] ?? ''}"`;
    }
  }
  return '';
}

function composeScenario(dir) {
  const defs = loadSubgraphs(dir);
  const services = defs.map((d) => ({
                              name: d.name,
                              typeDefs: parse(d.sdl),
                              url: routingUrl(d.name),
                            }));
  const report = { scenario: path.basename(dir), apollo: 'ok', guild: 'ok' };
  const a = apollo.composeServices(services);
  const apolloFile = path.join(dir, 'supergraph.graphql');
  if (a.errors) {
    report.apollo = a.errors.map((e) => e.message).join('; ');
  } else {
    fs.writeFileSync(apolloFile, a.supergraphSdl.trimEnd() + '\n');
  }
  let g;
  try {
    g = guild.composeServices(services);
  } catch (e) {
    g = { errors: [e] };
  }
  const guildFile = path.join(dir, 'supergraph.guild.graphql');
  if (g.errors) {
    report.guild = g.errors.map((e) => e.message).join('; ');
    if (fs.existsSync(guildFile)) fs.unlinkSync(guildFile);
  } else {
    fs.writeFileSync(guildFile, g.supergraphSdl.trimEnd() + '\n');
  }
  if (!a.errors && !g.errors) {
    try {
      const diff =
          firstDifference(apiSchemaText(a.supergraphSdl),
                          apiSchemaText(g.supergraphSdl));
      if (diff) report.apiSchemaDiff = diff;
    } catch (e) {
      report.apiSchemaDiff = `guild supergraph not loadable: ${e.message}`;
    }
  }
  return report;
}

function main() {
  const names = process.argv.slice(2);
  const dirs = (names.length ? names : listScenarios()).map(resolveScenarioDir);
  let failed = 0;
  const reports = [];
  for (const dir of dirs) {
    const r = composeScenario(dir);
    reports.push(r);
    if (r.apollo !== 'ok') failed++;
    const notes = [];
    if (r.apollo !== 'ok') notes.push(`apollo FAILED: ${r.apollo}`);
    if (r.guild !== 'ok') notes.push(`guild failed: ${r.guild}`);
    if (r.apiSchemaDiff) notes.push(`API schemas differ: ${r.apiSchemaDiff}`);
    process.stdout.write(
        `${r.scenario}: ${notes.length ? notes.join(' | ') : 'ok'}\n`);
  }
  return { failed, reports };
}

if (require.main === module) {
  const { failed } = main();
  process.exit(failed ? 1 : 0);
}

module.exports = { composeScenario, routingUrl };
