'use strict';
// Loads the federation reference packages from tests/npm-federation, so the
// harness works from any working directory without a package.json of its own.
const path = require('path');
const { createRequire } = require('module');

const npmDir = path.resolve(__dirname, '../../../npm-federation');
const req = createRequire(path.join(npmDir, 'package.json'));

function load(name) {
  try {
    return req(name);
  } catch (e) {
    if (e.code === 'MODULE_NOT_FOUND') {
      process.stderr.write(
          `cannot load ${name}: run \`npm ci\` in ${npmDir} first\n`);
      process.exit(2);
    }
    throw e;
  }
}

module.exports = { load, npmDir };
