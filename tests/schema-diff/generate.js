// Seeded generator of schema pairs for compare.js: a random schema, and a copy changed by a
// few random edits of every kind the diff knows (fields, arguments, defaults, nullability,
// lists, enum values, union members, interfaces, input fields, directives, deprecations,
// descriptions, added and removed types, kind changes). Edits keep both schemas valid, so
// every pair is compared; a pair either side refuses counts as a failure.
'use strict';

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const clone = (x) => JSON.parse(JSON.stringify(x));

// Type references are {named} | {list: ref} | {nonNull: ref}.
const named = (n) => ({ named: n });
const printRef = (r) => (r.named ? r.named : r.list ? `[${printRef(r.list)}]` : `${printRef(r.nonNull)}!`);
const inner = (r) => (r.named ? r.named : inner(r.list || r.nonNull));

const SCALARS = ['Int', 'String', 'Boolean', 'Float', 'ID'];
const defaultFor = (name, pick) =>
  ({ Int: () => String(Math.floor(pick() * 100)), Float: () => (pick() * 10).toFixed(1),
     String: () => JSON.stringify('s' + Math.floor(pick() * 10)), Boolean: () => (pick() < 0.5 ? 'true' : 'false'),
     ID: () => JSON.stringify('id' + Math.floor(pick() * 10)) })[name]();

function makeSchema(pick) {
  const n = (k) => 1 + Math.floor(pick() * k);
  const s = { objects: [], enums: [], unions: [], inputs: [], scalars: [], directives: [] };
  for (let i = 0; i < n(3); i++) s.enums.push({ name: `E${i}`, values: ['A', 'B', 'C'].slice(0, 1 + Math.floor(pick() * 3)).map((v) => ({ name: v })) });
  for (let i = 0; i < n(2); i++) s.inputs.push({ name: `In${i}`, fields: [{ name: 'x', type: named('Int') }, { name: 'y', type: { nonNull: named('String') }, default: '"y"' }] });
  for (let i = 0; i < n(2); i++) s.scalars.push({ name: `Sc${i}` });
  const objectCount = 2 + Math.floor(pick() * 3);
  for (let i = 0; i < objectCount; i++) {
    const o = { name: `T${i}`, interfaces: pick() < 0.5 ? ['Node'] : [], fields: [{ name: 'id', type: { nonNull: named('ID') }, args: [], fixed: true }] };
    for (let f = 0; f < n(4); f++) o.fields.push({ name: `f${f}`, type: randomOutput(s, pick, objectCount), args: randomArgs(s, pick) });
    s.objects.push(o);
  }
  for (let i = 0; i < n(2); i++) s.unions.push({ name: `U${i}`, members: ['T0', 'T1'].slice(0, 1 + Math.floor(pick() * 2)) });
  s.query = { name: 'Query', fields: s.objects.map((o) => ({ name: o.name.toLowerCase(), type: named(o.name), args: randomArgs(s, pick) })) };
  s.query.fields.push({ name: 'node', type: named('Node'), args: [{ name: 'id', type: { nonNull: named('ID') } }], fixed: true });
  for (const u of s.unions) s.query.fields.push({ name: u.name.toLowerCase(), type: named(u.name), args: [], fixed: true });
  for (let i = 0; i < n(2); i++) s.directives.push({ name: `d${i}`, args: [{ name: 'a', type: named('Int') }], locations: ['FIELD_DEFINITION', 'OBJECT'], repeatable: pick() < 0.5 });
  return s;
}

function randomNamedOutput(s, pick, objectCount) {
  const r = pick();
  if (r < 0.5) return SCALARS[Math.floor(pick() * SCALARS.length)];
  if (r < 0.7) return s.enums[Math.floor(pick() * s.enums.length)].name;
  if (r < 0.8 && s.scalars.length) return s.scalars[Math.floor(pick() * s.scalars.length)].name;
  return `T${Math.floor(pick() * (objectCount || s.objects.length))}`;
}
function wrap(ref, pick) {
  let r = ref;
  if (pick() < 0.3) r = { nonNull: r };
  if (pick() < 0.3) r = { list: r };
  if (pick() < 0.3 && !r.nonNull) r = { nonNull: r };
  return r;
}
const randomOutput = (s, pick, objectCount) => wrap(named(randomNamedOutput(s, pick, objectCount)), pick);
function randomInputNamed(s, pick) {
  const r = pick();
  if (r < 0.6) return SCALARS[Math.floor(pick() * SCALARS.length)];
  if (r < 0.8) return s.enums[Math.floor(pick() * s.enums.length)].name;
  return s.inputs[Math.floor(pick() * s.inputs.length)].name;
}
function randomArg(s, pick, name) {
  const t = randomInputNamed(s, pick);
  const a = { name, type: wrap(named(t), pick) };
  if (SCALARS.includes(t) && a.type.named && pick() < 0.4) a.default = defaultFor(t, pick);
  return a;
}
function randomArgs(s, pick) {
  const args = [];
  for (let i = 0; i < Math.floor(pick() * 3); i++) args.push(randomArg(s, pick, `a${i}`));
  return args;
}

// ---- edits ------------------------------------------------------------------------------
const any = (list, pick) => list[Math.floor(pick() * list.length)];
function toggleNonNull(ref) {
  return ref.nonNull ? ref.nonNull : { nonNull: ref };
}
let fresh = 0;
const EDITS = [
  (s, p) => { const o = any(s.objects, p); const f = o.fields.filter((x) => !x.fixed); if (f.length) o.fields.splice(o.fields.indexOf(any(f, p)), 1); },
  (s, p) => { any(s.objects, p).fields.push({ name: `n${fresh++}`, type: randomOutput(s, p), args: [] }); },
  (s, p) => { const f = any(any(s.objects, p).fields.filter((x) => !x.fixed), p); if (f) f.type = toggleNonNull(f.type); },
  (s, p) => { const f = any(any(s.objects, p).fields.filter((x) => !x.fixed), p); if (f) f.type = p() < 0.5 ? { list: f.type } : named(randomNamedOutput(s, p)); },
  (s, p) => { const f = any(any([s.query, ...s.objects], p).fields.filter((x) => !x.fixed), p); if (f) f.args.push(randomArg(s, p, `g${fresh++}`)); },
  (s, p) => { const f = any(any([s.query, ...s.objects], p).fields.filter((x) => !x.fixed && x.args.length), p); if (f) f.args.splice(Math.floor(p() * f.args.length), 1); },
  (s, p) => { const f = any(any([s.query, ...s.objects], p).fields.filter((x) => !x.fixed && x.args.length), p); if (f) { const a = any(f.args, p); a.type = toggleNonNull(a.type); } },
  (s, p) => { const f = any(any([s.query, ...s.objects], p).fields.filter((x) => !x.fixed && x.args.length), p); if (f) { const a = any(f.args, p); const t = inner(a.type); if (SCALARS.includes(t) && a.type.named) a.default = p() < 0.3 ? undefined : defaultFor(t, p); } },
  (s, p) => { const e = any(s.enums, p); if (e.values.length > 1 && p() < 0.5) e.values.splice(Math.floor(p() * e.values.length), 1); else e.values.push({ name: `V${fresh++}` }); },
  (s, p) => { const e = any(s.enums, p); const v = any(e.values, p); v.deprecated = v.deprecated ? undefined : 'old'; },
  (s, p) => { const u = any(s.unions, p); const m = any(s.objects, p).name; if (u.members.includes(m)) { if (u.members.length > 1) u.members.splice(u.members.indexOf(m), 1); } else u.members.push(m); },
  (s, p) => { const o = any(s.objects, p); o.interfaces = o.interfaces.length ? [] : ['Node']; },
  (s, p) => { const i = any(s.inputs, p); if (p() < 0.5 && i.fields.length > 1) i.fields.splice(Math.floor(p() * i.fields.length), 1); else { const req = p() < 0.5; i.fields.push({ name: `i${fresh++}`, type: req ? { nonNull: named('Int') } : named('Int'), default: p() < 0.3 ? '7' : undefined }); } },
  (s, p) => { const f = any(any(s.inputs, p).fields, p); f.type = toggleNonNull(f.type); },
  (s, p) => { const f = any(any(s.inputs, p).fields, p); if (inner(f.type) === 'Int') f.default = p() < 0.3 ? undefined : String(Math.floor(p() * 9)); },
  (s, p) => { const f = any(any(s.objects, p).fields.filter((x) => !x.fixed), p); if (f) f.deprecated = f.deprecated ? undefined : 'gone'; },
  (s, p) => { const o = any(s.objects, p); o.description = o.description ? undefined : 'About ' + o.name; },
  (s, p) => { s.scalars.push({ name: `New${fresh++}` }); },
  (s, p) => { if (s.scalars.length > 1) { const sc = s.scalars.pop(); if (!used(s, sc.name)) return; s.scalars.push(sc); } },
  (s, p) => { const sc = any(s.scalars, p); if (sc && !used(s, sc.name)) { s.scalars.splice(s.scalars.indexOf(sc), 1); s.enums.push({ name: sc.name, values: [{ name: 'X' }] }); } },
  (s, p) => { if (p() < 0.5 && s.directives.length) s.directives.pop(); else s.directives.push({ name: `dn${fresh++}`, args: [], locations: ['FIELD'], repeatable: false }); },
  (s, p) => { const d = any(s.directives, p); if (!d) return; const r = p(); if (r < 0.3) d.repeatable = !d.repeatable; else if (r < 0.6) d.locations = d.locations.length > 1 ? d.locations.slice(1) : [...d.locations, 'ENUM']; else if (r < 0.8) d.args.push(randomArg(s, p, `b${fresh++}`)); else d.args.pop(); },
];
function used(s, name) {
  const refs = [];
  for (const o of [s.query, ...s.objects]) for (const f of o.fields) { refs.push(inner(f.type)); for (const a of f.args) refs.push(inner(a.type)); }
  for (const d of s.directives) for (const a of d.args) refs.push(inner(a.type));
  return refs.includes(name);
}

// ---- printing -----------------------------------------------------------------------------
function printArgs(args) {
  if (!args.length) return '';
  return '(' + args.map((a) => `${a.name}: ${printRef(a.type)}${a.default !== undefined ? ' = ' + a.default : ''}`).join(', ') + ')';
}
const dep = (x) => (x.deprecated ? ` @deprecated(reason: "${x.deprecated}")` : '');
function printSchema(s) {
  let out = 'interface Node { id: ID! }\n';
  const fieldsOf = (fields) => fields.map((f) => `  ${f.name}${printArgs(f.args)}: ${printRef(f.type)}${dep(f)}\n`).join('');
  out += `type Query {\n${fieldsOf(s.query.fields)}}\n`;
  for (const o of s.objects) {
    if (o.description) out += `"${o.description}"\n`;
    out += `type ${o.name}${o.interfaces.length ? ' implements ' + o.interfaces.join(' & ') : ''} {\n${fieldsOf(o.fields)}}\n`;
  }
  for (const e of s.enums) out += `enum ${e.name} { ${e.values.map((v) => v.name + dep(v)).join(' ')} }\n`;
  for (const u of s.unions) out += `union ${u.name} = ${u.members.join(' | ')}\n`;
  for (const i of s.inputs) out += `input ${i.name} { ${i.fields.map((f) => `${f.name}: ${printRef(f.type)}${f.default !== undefined ? ' = ' + f.default : ''}`).join(' ')} }\n`;
  for (const sc of s.scalars) out += `scalar ${sc.name}\n`;
  for (const d of s.directives) out += `directive @${d.name}${printArgs(d.args)}${d.repeatable ? ' repeatable' : ''} on ${d.locations.join(' | ')}\n`;
  return out;
}

// `count` pairs from `seed`: {name, old, new}.
function generatePairs(count, seed) {
  const pick = rng(seed);
  const pairs = [];
  for (let i = 0; i < count; i++) {
    fresh = 0;
    const a = makeSchema(pick);
    const b = clone(a);
    const edits = 1 + Math.floor(pick() * 4);
    for (let e = 0; e < edits; e++) any(EDITS, pick)(b, pick);
    pairs.push({ name: `generated-${seed}-${i}`, old: printSchema(a), new: printSchema(b) });
  }
  return pairs;
}

module.exports = { generatePairs };
