'use strict';
// Loads the pinned graphql-js (tests/npm/package.json) from tests/npm/node_modules, which Node's
// own resolution would not find from this folder.
const path = require('path');

const npmDir = path.resolve(__dirname, '../../npm');

function loadGraphql() {
  try {
    return require(path.join(npmDir, 'node_modules', 'graphql'));
  } catch (e) {
    process.stderr.write(
      `graphql-js is not installed: run \`npm ci --prefix tests/npm\` first (${e.message})\n`);
    process.exit(2);
  }
}

// A module of graphql-js that its index does not export (e.g. 'validation/validate.js').
function loadGraphqlModule(relativePath) {
  loadGraphql();
  return require(path.join(npmDir, 'node_modules', 'graphql', relativePath));
}

module.exports = { loadGraphql, loadGraphqlModule, npmDir };
