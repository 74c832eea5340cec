'use strict';
// Deterministic generator of differential cases: documents built from the corpus schemas
// (random selections, arguments, variables, aliases, fragments, directives, every value
// kind, random layout) and mutated ones, so that both sides meet errors nobody wrote by hand.
//
// Three kinds, chosen per document:
//   valid    a document that should validate (it still may not: e.g. aliases can collide)
//   chaos    the same builder with a high chance of a wrong name, a wrong value type, a
//            missing or unused variable, a missing selection set … (semantic errors)
//   tokens   a valid document whose tokens were deleted, duplicated, swapped or replaced,
//            or with junk inserted (syntax and lexer errors)
//
// The same seed and count always give the same cases (mulberry32; no Math.random).
const { loadGraphql } = require('./graphql_js.js');

const graphql = loadGraphql();

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  chance(p) {
    return this.next() < p;
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  pick(list) {
    return list[this.int(list.length)];
  }
}

const kInts = ['0', '1', '-1', '42', '7', '2147483647', '-2147483648', '2147483648', '100'];
const kFloats = ['1.5', '-0.25', '1e3', '3', '0.0', '6.02e23', '-1.5E-7', '10'];
const kStrings = [
  '""', '"hello"', '"with \\"quote\\""', '"tab\\tnew\\nline"', '"\\u00e9t\\u00e9"', '"😀 emoji"',
  '"\\uD83D\\uDE00"', '"\\u{1F680}"', '"back\\\\slash"', '"""block"""', '"""\n    indented\n      more\n  """',
  '"""with \\""" quotes"""', '"/slash\\/"', '"中文"', '"\\b\\f\\r"',
];
const kIds = ['"1"', '"abc"', '7', '"id-42"'];
const kAliases = ['a', 'b', 'first', 'other', 'x1', 'alias', 'name', 'id', 'node', 'value'];
const kJunkTokens = [
  '?', '..', '01', '1.', '"\\x"', '"unterminated', "'", '.5', '1e', '"\\uD800"', '"\\u{110000}"',
  '~', '"""open', '-', '$', '@', '&', '|', '=', '!', '1a', '0x1', '\u0007', '"\\u12"',
];
const kTokenPool = [
  '{', '}', '(', ')', '[', ']', ':', '=', '@', '$', '!', '...', '|', '&', 'on', 'fragment',
  'query', 'mutation', '"str"', '1', '1.5', 'null', 'true', '"""b"""', 'type', 'extend', 'Name',
];

function unwrap(type) {
  while (graphql.isWrappingType(type)) type = type.ofType;
  return type;
}

class DocBuilder {
  constructor(rng, schema, chaos) {
    this.rng = rng;
    this.schema = schema;
    this.chaos = chaos; // probability of deliberately wrong choices
    this.fragments = [];
    this.fragmentCount = 0;
    this.sep = rng.pick([' ', '\n', ', ', '  ']);
  }

  wrong() {
    return this.rng.chance(this.chaos);
  }

  space() {
    return this.rng.chance(0.7) ? ' ' : this.rng.pick(['\n', '\n  ', ',', ' , ', '\t']);
  }

  // ---- values ----
  // `noVarHere`: the non-null wrapper of `type` already declined a variable (a nullable
  // variable there would be an error).
  literal(type, depth, allowVars, noVarHere = false) {
    const rng = this.rng;
    if (allowVars && !noVarHere && depth < 3 && rng.chance(0.25)) return this.variableFor(type);
    if (graphql.isNonNullType(type)) {
      if (this.wrong() && rng.chance(0.3)) return 'null';
      return this.literal(type.ofType, depth, allowVars, true);
    }
    if (rng.chance(0.05)) return 'null';
    if (this.wrong() && rng.chance(0.3)) return this.randomScalar();
    if (graphql.isListType(type)) {
      if (rng.chance(0.25)) return this.literal(type.ofType, depth + 1, allowVars);
      const n = rng.int(3);
      const items = [];
      for (let i = 0; i < n; ++i) items.push(this.literal(type.ofType, depth + 1, allowVars));
      return `[${items.join(rng.pick([', ', ' ', ',']))}]`;
    }
    if (graphql.isInputObjectType(type)) {
      const fields = Object.values(type.getFields());
      const chosen = [];
      if (type.isOneOf) {
        if (fields.length > 0) chosen.push(rng.pick(fields));
        if (this.wrong() && fields.length > 1) chosen.push(rng.pick(fields));
      } else {
        for (const f of fields) {
          const required = graphql.isNonNullType(f.type) && f.defaultValue === undefined;
          if ((required && !(this.wrong() && rng.chance(0.3))) || (depth < 3 && rng.chance(0.4))) {
            chosen.push(f);
          }
        }
      }
      const parts = chosen.map((f) => `${f.name}: ${this.literal(f.type, depth + 1, allowVars)}`);
      if (this.wrong() && rng.chance(0.3)) parts.push(`${rng.pick(['unknown', 'extra', 'idd'])}: 1`);
      return `{${parts.join(', ')}}`;
    }
    if (graphql.isEnumType(type)) {
      const values = type.getValues();
      if (this.wrong() && rng.chance(0.3)) return rng.pick(['UNKNOWN', '"SIT"', values[0].name.toLowerCase()]);
      return rng.pick(values).name;
    }
    switch (type.name) {
      case 'Int': return rng.pick(kInts);
      case 'Float': return rng.pick(kFloats);
      case 'String': return rng.pick(kStrings);
      case 'Boolean': return rng.pick(['true', 'false']);
      case 'ID': return rng.pick(kIds);
      default: return this.anyValue(depth);
    }
  }

  randomScalar() {
    return this.rng.pick([...kInts.slice(0, 3), ...kFloats.slice(0, 2), '"s"', 'true', 'ENUM_X', '[1]', '{a: 1}']);
  }

  anyValue(depth) {
    const rng = this.rng;
    if (depth > 2) return this.randomScalar();
    switch (rng.int(4)) {
      case 0: return `[${this.randomScalar()}, ${this.anyValue(depth + 1)}]`;
      case 1: return `{k: ${this.anyValue(depth + 1)}, other: ${this.randomScalar()}}`;
      default: return this.randomScalar();
    }
  }

  variableFor(type) {
    const rng = this.rng;
    if (this.wrong() && rng.chance(0.25)) return `$undefined${rng.int(3)}`;
    const existing = this.variables.find((v) => v.typeString === String(type));
    if (existing && rng.chance(0.5)) return `$${existing.name}`;
    const name = `v${this.variables.length}`;
    let typeString = String(type);
    if (this.wrong() && rng.chance(0.4)) {
      typeString = rng.pick([String(graphql.getNullableType(type)), `[${typeString}]`, 'String', 'Int!', 'Dog', 'Unknown']);
    }
    const v = { name, typeString, description: rng.chance(0.05) };
    const named = unwrap(type);
    if (!graphql.isNonNullType(type) && rng.chance(0.2) && !graphql.isInputObjectType(named)) {
      v.defaultValue = this.literal(type, 2, false);
    }
    if (rng.chance(0.05)) v.directives = ' @include(if: true)';
    this.variables.push(v);
    return `$${name}`;
  }

  arguments(args, allowVars) {
    const rng = this.rng;
    const parts = [];
    for (const arg of args) {
      const required = graphql.isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (required ? !(this.wrong() && rng.chance(0.3)) : rng.chance(0.35)) {
        parts.push(`${arg.name}: ${this.literal(arg.type, 0, allowVars)}`);
      }
    }
    if (this.wrong() && rng.chance(0.2)) parts.push(`${rng.pick(['unknownArg', 'first', 'if'])}: 1`);
    if (this.wrong() && rng.chance(0.1) && parts.length > 0) parts.push(parts[0]);
    if (parts.length === 0) return '';
    return `(${parts.join(rng.pick([', ', ' ', ',\n']))})`;
  }

  directives(location) {
    const rng = this.rng;
    if (!rng.chance(0.15)) return '';
    const candidates = this.schema.getDirectives().filter(
      (d) => d.locations.includes(location) && !['defer', 'stream'].includes(d.name));
    let out = '';
    const n = rng.chance(0.2) ? 2 : 1;
    for (let i = 0; i < n; ++i) {
      if (this.wrong() && rng.chance(0.3)) {
        out += rng.pick([' @unknown', ' @deprecated', ' @include', ' @skip(if: 1)']);
        continue;
      }
      if (candidates.length === 0) break;
      const d = rng.pick(candidates);
      out += ` @${d.name}${this.arguments(d.args, true)}`;
    }
    return out;
  }

  // ---- selections ----
  fieldOf(type) {
    const fields = Object.values(type.getFields());
    return this.rng.pick(fields);
  }

  selectionSet(type, depth) {
    const rng = this.rng;
    const n = 1 + rng.int(3);
    const items = [];
    for (let i = 0; i < n; ++i) items.push(this.selection(type, depth));
    const inner = items.join(this.space());
    return rng.chance(0.5) ? `{ ${inner} }` : `{\n${inner}\n}`;
  }

  selection(type, depth) {
    const rng = this.rng;
    const r = rng.next();
    if (r < 0.12 && depth < 3) return this.inlineFragment(type, depth);
    if (r < 0.22 && depth < 3 && this.fragmentCount < 4) return this.fragmentSpread(type, depth);
    return this.field(type, depth);
  }

  possibleTypes(type) {
    if (graphql.isAbstractType(type)) {
      const types = [...this.schema.getPossibleTypes(type)];
      if (graphql.isInterfaceType(type)) types.push(...this.schema.getImplementations(type).interfaces);
      return types.concat([type]);
    }
    const related = [type, ...type.getInterfaces()];
    for (const t of Object.values(this.schema.getTypeMap())) {
      if (graphql.isUnionType(t) && t.getTypes().includes(type)) related.push(t);
    }
    return related;
  }

  typeCondition(type) {
    const rng = this.rng;
    if (this.wrong() && rng.chance(0.4)) {
      const all = Object.values(this.schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
      return rng.chance(0.1) ? 'Unknown' : rng.pick(all);
    }
    return rng.pick(this.possibleTypes(type));
  }

  inlineFragment(type, depth) {
    const rng = this.rng;
    if (rng.chance(0.15)) return `...${this.directives('INLINE_FRAGMENT')} ${this.selectionSet(type, depth + 1)}`;
    const cond = this.typeCondition(type);
    const condName = typeof cond === 'string' ? cond : cond.name;
    const inner = typeof cond !== 'string' && graphql.isCompositeType(cond) ? cond : type;
    return `... on ${condName}${this.directives('INLINE_FRAGMENT')} ${this.selectionSet(inner, depth + 1)}`;
  }

  fragmentSpread(type, depth) {
    const rng = this.rng;
    const reuse = this.fragments.filter((f) => f.type === type);
    if (reuse.length > 0 && rng.chance(0.4)) return `...${rng.pick(reuse).name}${this.directives('FRAGMENT_SPREAD')}`;
    if (this.wrong() && rng.chance(0.2)) return `...${rng.pick(['Missing', 'F0', 'Unknown'])}`;
    const cond = this.typeCondition(type);
    const condName = typeof cond === 'string' ? cond : cond.name;
    const inner = typeof cond !== 'string' && graphql.isCompositeType(cond) ? cond : type;
    const name = `F${this.fragmentCount++}`;
    const fragment = { name, type };
    const description = rng.chance(0.05) ? '"A fragment" ' : '';
    fragment.text = `${description}fragment ${name} on ${condName}${this.directives('FRAGMENT_DEFINITION')} ${this.selectionSet(inner, depth + 1)}`;
    // Registered after its body so that the body cannot spread it (no accidental cycles).
    this.fragments.push(fragment);
    return `...${name}${this.directives('FRAGMENT_SPREAD')}`;
  }

  field(type, depth) {
    const rng = this.rng;
    let alias = '';
    if (rng.chance(0.15)) alias = `${rng.pick(kAliases)}: `;
    if (!graphql.isObjectType(type) && !graphql.isInterfaceType(type) || rng.chance(0.06)) {
      if (this.wrong() && rng.chance(0.3)) return `${alias}${rng.pick(['name', 'id', 'unknown'])}`;
      return `${alias}__typename${this.directives('FIELD')}`;
    }
    if (this.wrong() && rng.chance(0.12)) {
      const f = this.fieldOf(type);
      const name = rng.chance(0.5) ? `${f.name}s` : rng.pick(['unknownField', 'nam', 'Id', 'title', 'meows']);
      return `${alias}${name}`;
    }
    const f = this.fieldOf(type);
    let text = `${alias}${f.name}${this.arguments(f.args, true)}${this.directives('FIELD')}`;
    const named = unwrap(f.type);
    const composite = graphql.isCompositeType(named);
    if (composite && depth < 4) {
      if (!(this.wrong() && rng.chance(0.2))) text += ` ${this.selectionSet(named, depth + 1)}`;
    } else if (composite) {
      text += ' { __typename }';
    } else if (this.wrong() && rng.chance(0.15)) {
      text += ' { value }';
    }
    return text;
  }

  operation(kind, name) {
    const rng = this.rng;
    const root = kind === 'query' ? this.schema.getQueryType()
      : kind === 'mutation' ? this.schema.getMutationType() : this.schema.getSubscriptionType();
    this.variables = [];
    let body;
    if (kind === 'subscription' && !(this.wrong() && rng.chance(0.5))) {
      body = `{ ${this.field(root, 0)} }`;
    } else {
      body = this.selectionSet(root, 0);
    }
    if (this.wrong() && rng.chance(0.15)) this.variables.push({ name: 'unused', typeString: 'Int' });
    if (this.wrong() && rng.chance(0.05) && this.variables.length > 0) this.variables.push(this.variables[0]);
    const directives = this.directives(kind.toUpperCase());
    const vars = this.variables.map((v) => {
      const description = v.description ? '"a variable" ' : '';
      const def = v.defaultValue !== undefined ? ` = ${v.defaultValue}` : '';
      return `${description}$${v.name}: ${v.typeString}${def}${v.directives || ''}`;
    });
    const varText = vars.length > 0 ? `(${vars.join(rng.pick([', ', ' ', '\n  ']))})` : '';
    if (kind === 'query' && !name && vars.length === 0 && !directives && rng.chance(0.5)) return body;
    const description = rng.chance(0.05) ? `${rng.pick(['"Op"', '"""\n  Block op\n"""'])}\n` : '';
    return `${description}${kind}${name ? ` ${name}` : ''}${varText}${directives} ${body}`;
  }

  document() {
    const rng = this.rng;
    const kinds = ['query'];
    if (this.schema.getMutationType()) kinds.push('mutation');
    if (this.schema.getSubscriptionType()) kinds.push('subscription');
    const opCount = rng.chance(0.15) ? 2 : 1;
    const ops = [];
    for (let i = 0; i < opCount; ++i) {
      const kind = rng.chance(0.6) ? 'query' : rng.pick(kinds);
      const named = opCount > 1 || rng.chance(0.5);
      let name = named ? `Op${i}` : '';
      if (opCount > 1 && this.wrong() && rng.chance(0.3)) name = 'Op0';
      ops.push(this.operation(kind, name));
    }
    if (this.wrong() && rng.chance(0.2) && this.schema.getMutationType() === undefined) ops.push('mutation { x }');
    const parts = [...ops, ...this.fragments.map((f) => f.text)];
    if (rng.chance(0.3)) parts.reverse();
    if (this.wrong() && rng.chance(0.1)) parts.push(`fragment Extra on ${this.schema.getQueryType().name} { __typename }`);
    return parts.join(rng.pick(['\n\n', '\n', ' ']));
  }
}

function mutateTokens(rng, text) {
  const lexer = new graphql.Lexer(new graphql.Source(text));
  const items = [];
  let prevEnd = 0;
  for (let tok = lexer.advance(); tok.kind !== graphql.TokenKind.EOF; tok = lexer.advance()) {
    items.push({ sep: text.slice(prevEnd, tok.start), text: text.slice(tok.start, tok.end) });
    prevEnd = tok.end;
  }
  const tail = text.slice(prevEnd);
  const n = 1 + rng.int(3);
  for (let m = 0; m < n && items.length > 0; ++m) {
    const i = rng.int(items.length);
    switch (rng.int(6)) {
      case 0: items.splice(i, 1); break;
      case 1: items.splice(i, 0, { ...items[i] }); break;
      case 2:
        if (i + 1 < items.length) [items[i].text, items[i + 1].text] = [items[i + 1].text, items[i].text];
        break;
      case 3: items[i].text = rng.pick(kTokenPool); break;
      case 4: items.splice(i, 0, { sep: rng.pick([' ', '', '\n']), text: rng.pick(kJunkTokens) }); break;
      default: items.splice(i); break; // truncate
    }
  }
  return items.map((t) => t.sep + t.text).join('') + tail;
}

// Returns [{id, document, schema}]; `count` documents spread over the schemas.
function generate(schemaTexts, options = {}) {
  const seed = options.seed ?? 20240601;
  const count = options.count ?? 600;
  const names = Object.keys(schemaTexts).sort();
  const schemas = new Map(names.map((n) => [n, graphql.buildSchema(schemaTexts[n])]));
  const cases = [];
  for (let i = 0; i < count; ++i) {
    const rng = new Rng(seed * 7919 + i);
    const name = names[i % names.length];
    const r = rng.next();
    const kind = r < 0.45 ? 'valid' : r < 0.75 ? 'chaos' : 'tokens';
    const builder = new DocBuilder(rng, schemas.get(name), kind === 'chaos' ? 0.25 : 0);
    let document = builder.document();
    if (kind === 'tokens') document = mutateTokens(rng, document);
    cases.push({ id: `gen/${seed}-${String(i).padStart(4, '0')}-${kind}`, document, schema: name });
  }
  return cases;
}

module.exports = { generate };

if (require.main === module) {
  const { loadCorpus } = require('./corpus.js');
  const seed = Number(process.argv[2] || 20240601);
  const count = Number(process.argv[3] || 5);
  for (const c of loadCorpus({ seed, generated: count }).cases.filter((x) => x.id.startsWith('gen/'))) {
    process.stdout.write(`=== ${c.id} (${c.schema})\n${c.document}\n`);
  }
}
