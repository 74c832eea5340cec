// Regenerates the expected introspection results from graphql-js 17 (the reference):
//   NODE_PATH=/work/main/tests/npm/node_modules node gen_expected.js
// Writes introspection_query.graphql (getIntrospectionQuery with every option our router
// supports) and cases.json: for each operation, the exact `data` graphql-js returns.
const fs = require('fs');
const path = require('path');
const g = require('graphql');

const schema = g.buildSchema(fs.readFileSync(path.join(__dirname, 'schema.graphql'), 'utf8'));
const introspectionQuery = g.getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
fs.writeFileSync(path.join(__dirname, 'introspection_query.graphql'), introspectionQuery);

const cases = [
  {name: 'full', query: introspectionQuery, variables: {}},
  {
    name: 'aliases_fragments_directives',
    query: `
      query Q($name: String!, $yes: Boolean!, $no: Boolean!, $dep: Boolean!) {
        t: __type(name: $name) { ...T }
        again: __type(name: $name) { name kind @include(if: $no) }
        enumType: __type(name: "Status") {
          all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason }
          current: enumValues { name }
          ... on __Type @skip(if: $yes) { description }
          ... @include(if: $yes) { kind }
        }
        missing: __type(name: "Nope") { name }
        __typename
        tn: __typename @skip(if: $no)
        s: __schema { queryType { name __typename } d: directives { name isRepeatable args(includeDeprecated: $dep) { name defaultValue } } }
      }
      fragment T on __Type {
        __typename
        name
        fields(includeDeprecated: $dep) { name args { name } isDeprecated }
        ...F
        fields(includeDeprecated: $dep) { type { kind ofType { kind ofType { kind name } } } }
      }
      fragment F on __Type { interfaces { name } possibleTypes { name } inputFields { name } }
    `,
    variables: {name: 'User', yes: true, no: false, dep: false},
  },
  {
    name: 'input_and_union',
    query: `{
      f: __type(name: "PostFilter") { kind isOneOf inputFields(includeDeprecated: true) { name defaultValue isDeprecated deprecationReason type { name kind ofType { name } } } }
      o: __type(name: "UserBy") { isOneOf inputFields { name } }
      u: __type(name: "SearchResult") { kind possibleTypes { name } fields { name } isOneOf }
      i: __type(name: "Node") { possibleTypes { name } interfaces { name } }
      d: __type(name: "Date") { specifiedByURL description }
      l: __type(name: "String") { specifiedByURL }
    }`,
    variables: {},
  },
  {
    name: 'mutation_typename',
    query: 'mutation { __typename }',
    variables: {},
  },
];

for (const c of cases) {
  const result = g.executeSync({schema, document: g.parse(c.query), variableValues: c.variables});
  if (result.errors) throw new Error(c.name + ': ' + JSON.stringify(result.errors));
  c.expected = JSON.stringify(result.data);
  if (c.query === introspectionQuery) c.query = '@introspection_query.graphql';
}
fs.writeFileSync(path.join(__dirname, 'cases.json'), JSON.stringify(cases, null, 1) + '\n');
