'use strict';
// The "Composition" section of docs/benchmarks.md, from the results of
// bench/composition/run.sh (composition_orbit.json, composition_js.json). Empty when they are
// missing. Used by bench/report.js.
const fs = require('fs');
const path = require('path');

function compositionSection(resultsDir) {
  const read = (name) => {
    const file = path.join(resultsDir, name);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
  };
  const orbit = read('composition_orbit.json');
  const js = read('composition_js.json');
  if (!orbit || !js) return '';
  const toMs = (b) => b.cpu_time * ({ ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[b.time_unit] || 1);
  const wallMs = (b) => b.real_time * ({ ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 }[b.time_unit] || 1);
  const inputs = [
    ['shop', 'BM_ComposeShop', 'the shop graph (4 subgraphs, `lib/federation/test/data/subgraphs/shop`)'],
    ['gen60', 'BM_ComposeGenerated60', 'generated, 60 subgraphs (`bench/composition/gen.js`)'],
    ['gen200', 'BM_ComposeGenerated200', 'generated, 200 subgraphs'],
  ];
  const rows = [];
  for (const [key, bench, label] of inputs) {
    const b = orbit.benchmarks.find((x) => x.name === bench && (!x.run_type || x.run_type === 'iteration'));
    const ref = js[key];
    if (!b || !ref) continue;
    const ms = wallMs(b);
    rows.push(`| ${label} | ${ms.toFixed(2)} | ${toMs(b).toFixed(2)} | ${ref.guild_ms.toFixed(1)} | ` +
              `${ref.apollo_ms.toFixed(1)} | ${(ref.guild_ms / ms).toFixed(0)}× | ${(ref.apollo_ms / ms).toFixed(0)}× |`);
  }
  const v = js.versions || {};
  return `
## Composition

\`orbit compose\`'s library (\`orbit::federation_compose\`, release build) against
\`@theguild/federation-composition\` ${v.guild || '?'} and \`@apollo/composition\` ${v.apollo || '?'}
(Node ${v.node || '?'}) on the same subgraph files; every run parses the SDL and produces the
supergraph. Milliseconds per composition (Orbit: Google Benchmark wall and CPU time; npm: mean
wall time over ${'≥'}3 s after a warm-up).

| input | Orbit ms | Orbit CPU ms | The Guild ms | Apollo ms | vs The Guild | vs Apollo |
|---|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}

Every input is validated fully, satisfiability included, by all three (Orbit handles up to
256 subgraphs). Run alone with \`bench/composition/run.sh build/release\`.
`;
}

module.exports = { compositionSection };
