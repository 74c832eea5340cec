'use strict';
// Reads one scenario folder: subgraphs (SDL + data), requests, expected files.
const fs = require('fs');
const path = require('path');

const scenariosDir = path.resolve(__dirname, '../..');

function resolveScenarioDir(nameOrPath) {
  if (fs.existsSync(path.join(nameOrPath, 'subgraphs'))) {
    return path.resolve(nameOrPath);
  }
  const dir = path.join(scenariosDir, nameOrPath);
  if (fs.existsSync(path.join(dir, 'subgraphs'))) return dir;
  throw new Error(`no scenario named ${nameOrPath}`);
}

function listScenarios() {
  return fs.readdirSync(scenariosDir)
      .filter((n) => fs.existsSync(path.join(scenariosDir, n, 'subgraphs')))
      .sort();
}

function loadSubgraphs(dir) {
  const sgDir = path.join(dir, 'subgraphs');
  return fs.readdirSync(sgDir)
      .filter((f) => f.endsWith('.graphql'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -'.graphql'.length);
        const dataPath = path.join(sgDir, `${name}.data.json`);
        const data = fs.existsSync(dataPath) ?
            JSON.parse(fs.readFileSync(dataPath, 'utf8')) :
            {};
        return {
          name,
          sdl: fs.readFileSync(path.join(sgDir, f), 'utf8'),
          data,
        };
      });
}

function listRequests(dir) {
  const rDir = path.join(dir, 'requests');
  if (!fs.existsSync(rDir)) return [];
  return fs.readdirSync(rDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({
             id: f.slice(0, -'.json'.length),
             request: JSON.parse(fs.readFileSync(path.join(rDir, f), 'utf8')),
           }));
}

function stableJson(value) {
  return JSON.stringify(value, null, 2) + '\n';
}

module.exports = {
  scenariosDir,
  resolveScenarioDir,
  listScenarios,
  loadSubgraphs,
  listRequests,
  stableJson,
};
