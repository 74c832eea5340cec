// Regenerates cases.json from graphql-js (the reference for values/values.cc):
//   NODE_PATH=/work/main/tests/npm/node_modules node gen_cases.js > cases.json
// Each case: an operation and its variables; expected are graphql-js 17's variable
// coercion result (coerced JSON or errors) and, when variables coerce, the argument values
// of the first root field (or the error getArgumentValues throws).
const fs = require('fs');
const path = require('path');
const g = require('graphql');

const schema = g.buildSchema(fs.readFileSync(path.join(__dirname, 'schema.graphql'), 'utf8'));
const Q = (vars, args) => `query${vars ? '(' + vars + ')' : ''} { f(req: 1${args ? ', ' + args : ''}) }`;

const cases = [
  // Built-in scalars from JSON.
  [Q('$x: Int', 'i: $x'), {x: 1}],
  [Q('$x: Int', 'i: $x'), '{"x": 1.0}'],
  [Q('$x: Int', 'i: $x'), '{"x": 1e2}'],
  [Q('$x: Int', 'i: $x'), {x: 1.5}],
  [Q('$x: Int', 'i: $x'), {x: 2147483648}],
  [Q('$x: Int', 'i: $x'), {x: -2147483648}],
  [Q('$x: Int', 'i: $x'), '{"x": 12345678901234567890}'],
  [Q('$x: Int', 'i: $x'), {x: '1'}],
  [Q('$x: Int', 'i: $x'), {x: true}],
  [Q('$x: Int', 'i: $x'), {x: [1, 2]}],
  [Q('$x: Int', 'i: $x'), {x: null}],
  [Q('$x: Int', 'i: $x'), {}],
  [Q('$x: Int!', 'i: $x'), {}],
  [Q('$x: Int!', 'i: $x'), {x: null}],
  [Q('$x: Float', 'fl: $x'), {x: 1}],
  [Q('$x: Float', 'fl: $x'), '{"x": 1.250}'],
  [Q('$x: Float', 'fl: $x'), {x: '1.5'}],
  [Q('$x: Float', 'fl: $x'), '{"x": 1e400}'],
  [Q('$x: String', 's: $x'), {x: 'hé\n"'}],
  [Q('$x: String', 's: $x'), {x: 1}],
  [Q('$x: String', 's: $x'), {x: {a: 1, b: [true, null, 'x'], c: {d: {e: 1}}}}],
  [Q('$x: Boolean', 'b: $x'), {x: false}],
  [Q('$x: Boolean', 'b: $x'), {x: 0}],
  [Q('$x: ID', 'id: $x'), {x: 'abc'}],
  [Q('$x: ID', 'id: $x'), {x: 42}],
  [Q('$x: ID', 'id: $x'), '{"x": 1e3}'],
  [Q('$x: ID', 'id: $x'), {x: 1.5}],
  [Q('$x: ID', 'id: $x'), {x: false}],
  [Q('$x: Json', 'j: $x'), {x: {any: [1, 'two', {three: 3.5}], n: null}}],
  // Enums.
  [Q('$x: Color', 'c: $x'), {x: 'GREEN'}],
  [Q('$x: Color', 'c: $x'), {x: 'OLD'}],
  [Q('$x: Color', 'c: $x'), {x: 'REDD'}],
  [Q('$x: Color', 'c: $x'), {x: 'green'}],
  [Q('$x: Color', 'c: $x'), {x: 1}],
  // Lists.
  [Q('$x: [Int!]', 'ints: $x'), {x: [1, 2, 3]}],
  [Q('$x: [Int!]', 'ints: $x'), {x: 5}],
  [Q('$x: [Int!]', 'ints: $x'), {x: [1, 'a', null, 2.5]}],
  [Q('$x: [[Int]]', 'matrix: $x'), {x: [[1], null, [null, 2]]}],
  [Q('$x: [[Int]]', 'matrix: $x'), {x: 3}],
  [Q('$x: [[Int]]', 'matrix: $x'), {x: [[1, 'x']]}],
  [Q('$x: [Int!]', 'ints: $x'), {x: Array.from({length: 12}, (_, i) => 'v' + i)}],
  // Input objects.
  [Q('$x: Point', 'p: $x'), {x: {x: 1}}],
  [Q('$x: Point', 'p: $x'), {x: {label: 'l', y: 2, x: 3}}],
  [Q('$x: Point', 'p: $x'), {x: {y: 1}}],
  [Q('$x: Point', 'p: $x'), {x: {x: 1, z: 2, lable: 'a', zzzzzzzz: 1}}],
  [Q('$x: Point', 'p: $x'), {x: [1]}],
  [Q('$x: Point', 'p: $x'), {x: 'str'}],
  [Q('$x: Point', 'p: $x'), {x: {x: null}}],
  [Q('$x: Filter', 'filter: $x'), {x: {}}],
  [Q('$x: Filter', 'filter: $x'), {x: {points: [{x: 1}, {y: 1}], nested: {nested: {color: 'BLUE', tags: 'one'}}}}],
  [Q('$x: Filter', 'filter: $x'), {x: {nested: {nested: {color: 'PINK', points: [{x: 'a'}]}}}}],
  [Q('$x: Filter', 'filter: $x'), {x: {any: {deep: [1, 2]}, ratio: 2, flag: true, id: 7}}],
  // @oneOf.
  [Q('$x: Choice', 'one: $x'), {x: {byId: '1'}}],
  [Q('$x: Choice', 'one: $x'), {x: {byId: '1', byName: 'a'}}],
  [Q('$x: Choice', 'one: $x'), {x: {}}],
  [Q('$x: Choice', 'one: $x'), {x: {byName: null}}],
  [Q('$x: Choice', 'one: $x'), {x: {byName: null, byId: null}}],
  [Q('$x: Choice', 'one: $x'), {x: {byPoint: {y: 1}}}],
  // Defaults and several variables.
  [Q('$x: Int = 3', 'i: $x'), {}],
  [Q('$x: Int = 3', 'i: $x'), {x: null}],
  [Q('$x: Point = {x: 1}', 'p: $x'), {}],
  [Q('$x: [Color!] = [RED, BLUE]', 'listDefault: $x'), {}],
  [Q('$a: Int!, $b: String!, $c: Color', 'i: $a, s: $b, c: $c'), {a: 'x', b: 2, c: 'NO'}],
  [Q('$x: Point', 'p: $x'), {y: 1}],
  [Q('$x: Unknown', ''), {}],
  [Q('$x: Point!, $y: Query', ''), {}],
  // Literal arguments.
  [Q('', 'i: 3, s: "str", b: true, fl: 2, id: 5, c: BLUE'), {}],
  [Q('', 'fl: 1.5e3, id: "x"'), {}],
  [Q('', 'i: 2147483648'), {}],
  [Q('', 'i: 1.5'), {}],
  [Q('', 'i: "3"'), {}],
  [Q('', 's: 3'), {}],
  [Q('', 'b: "true"'), {}],
  [Q('', 'fl: true'), {}],
  [Q('', 'id: 1.5'), {}],
  [Q('', 'c: "RED"'), {}],
  [Q('', 'c: REDD'), {}],
  [Q('', 'ints: 3'), {}],
  [Q('', 'ints: [1, null]'), {}],
  [Q('', 'ints: [1, "two"]'), {}],
  [Q('', 'matrix: [[1, null], null, 3]'), {}],
  [Q('', 'p: {x: 1}'), {}],
  [Q('', 'p: {y: 1}'), {}],
  [Q('', 'p: {x: 1, lable: "a"}'), {}],
  [Q('', 'p: [1]'), {}],
  [Q('', 'filter: {nested: {points: [{x: 1, y: null}]}}'), {}],
  [Q('', 'filter: {tags: null, color: null}'), {}],
  [Q('', 'one: {byId: 1}'), {}],
  [Q('', 'one: {byId: 1, byName: "a"}'), {}],
  [Q('', 'one: {byId: null}'), {}],
  [Q('', 'one: {}'), {}],
  [Q('', 'j: {a: [1, 2.50, "s", ENUMV, null], b: {c: true}}'), {}],
  [Q('', 'withDefault: 1, listDefault: RED'), {}],
  ['query { f }', {}],
  ['query { f(req: null) }', {}],
  // Literals with variables.
  [Q('$v: Int', 'ints: [1, $v]'), {}],
  [Q('$v: Int', 'ints: [1, $v]'), {v: 2}],
  [Q('$v: Int', 'p: {x: 1, y: $v}'), {}],
  [Q('$v: Int', 'p: {x: $v}'), {}],
  [Q('$v: Int', 'p: {x: $v}'), {v: 4}],
  [Q('$v: Int', 'withDefault: $v'), {}],
  [Q('$v: Int', 'withDefault: $v'), {v: null}],
  [Q('$v: String', 'one: {byName: $v}'), {}],
  [Q('$v: String', 'one: {byName: $v}'), {v: null}],
  [Q('$v: String', 'one: {byName: $v}'), {v: 'n'}],
  [Q('$v: Int', 'j: {a: $v, b: [$v]}'), {}],
  [Q('$v: Int', 'j: {a: $v, b: [$v]}'), {v: 9}],
  ['query($v: Int) { f(req: $v) }', {}],
];

const out = [];
for (const [query, vars] of cases) {
  const inputs = typeof vars === 'string' ? JSON.parse(vars) : vars;
  const variablesJson = typeof vars === 'string' ? vars : JSON.stringify(vars);
  const doc = g.parse(query);
  const op = doc.definitions[0];
  const result = g.getVariableValues(schema, op.variableDefinitions ?? [], inputs);
  const entry = {query, variables: variablesJson};
  if (result.errors) {
    entry.variableErrors = result.errors.map((e) => ({message: e.message, locations: e.locations ?? []}));
  } else {
    entry.coerced = JSON.stringify(result.variableValues.coerced);
    const field = op.selectionSet.selections[0];
    const def = schema.getQueryType().getFields()[field.name.value];
    try {
      entry.arguments = JSON.stringify(g.getArgumentValues(def, field, result.variableValues));
    } catch (e) {
      entry.argumentError = {message: e.message, locations: e.locations ?? []};
    }
  }
  out.push(entry);
}
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
