'use strict';
// Assembles the differential corpus: the schemas (corpus/schemas/*.graphql), the hand-written
// cases (corpus/*.corpus) and the generated ones (generate.js, deterministic for a seed).
//
// A .corpus file is a list of cases, each introduced by a header line:
//
//   === case-name [schema=NAME] [noschema] [esc] [sdl]
//   <document text, up to the next header>
//
// The case id is "<file stem>/<case-name>". Trailing blank lines of a body are dropped and
// the body has no final newline. `%schema NAME` before the first header sets the default
// schema of the file's cases (validation runs only for cases with a schema). With `esc`, the
// body's `\u{HEX}` sequences become that code point, for control characters, \r, BOM and
// trailing whitespace that an editor would not keep. With `sdl` (or `%sdl` before the first
// header, for the whole file) the document is also built as a schema and the errors compared.
// Lines before the first header that start with `#` are comments.
const fs = require('fs');
const path = require('path');

const corpusDir = path.join(__dirname, 'corpus');

function unescapeBody(text) {
  return text.replace(/\\u\{([0-9A-Fa-f]+)\}/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)));
}

function parseCorpusFile(file) {
  const stem = path.basename(file, '.corpus');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  let defaultSchema;
  let defaultSdl = false;
  const cases = [];
  let current = null;
  const finish = () => {
    if (!current) return;
    const body = current.lines;
    while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
    let document = body.join('\n');
    if (current.esc) document = unescapeBody(document);
    const c = { id: `${stem}/${current.name}`, document };
    if (current.schema) c.schema = current.schema;
    if (current.sdl) c.sdl = true;
    cases.push(c);
  };
  lines.forEach((line, index) => {
    if (line.startsWith('=== ')) {
      finish();
      const [name, ...flags] = line.slice(4).trim().split(/\s+/);
      current = { name, lines: [], schema: defaultSchema, esc: false, sdl: defaultSdl };
      for (const flag of flags) {
        if (flag === 'esc') current.esc = true;
        else if (flag === 'sdl') current.sdl = true;
        else if (flag === 'noschema') current.schema = undefined;
        else if (flag.startsWith('schema=')) current.schema = flag.slice(7);
        else throw new Error(`${file}:${index + 1}: unknown flag ${flag}`);
      }
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim() === '%sdl') {
      defaultSdl = true;
    } else if (line.startsWith('%schema ')) {
      defaultSchema = line.slice(8).trim();
    } else if (line.trim() !== '' && !line.startsWith('#')) {
      throw new Error(`${file}:${index + 1}: text before the first === header`);
    }
  });
  finish();
  return cases;
}

function loadSchemas() {
  const schemas = {};
  const dir = path.join(corpusDir, 'schemas');
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.graphql')) schemas[path.basename(f, '.graphql')] = fs.readFileSync(path.join(dir, f), 'utf8');
  }
  return schemas;
}

function loadHandWritten() {
  const cases = [];
  for (const f of fs.readdirSync(corpusDir).sort()) {
    if (f.endsWith('.corpus')) cases.push(...parseCorpusFile(path.join(corpusDir, f)));
  }
  return cases;
}

// options: {seed, generated} (count of generated documents; 0 for none).
function loadCorpus(options = {}) {
  const schemas = loadSchemas();
  const cases = loadHandWritten();
  if (options.generated !== 0) {
    const { generate } = require('./generate.js');
    cases.push(...generate(schemas, { seed: options.seed, count: options.generated }));
  }
  const seen = new Set();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
    seen.add(c.id);
    if (c.schema !== undefined && !(c.schema in schemas)) {
      throw new Error(`case ${c.id} names unknown schema ${c.schema}`);
    }
  }
  return { schemas, cases };
}

module.exports = { loadCorpus, parseCorpusFile };
