'use strict';
// One generic subgraph: an @apollo/subgraph schema built from the scenario's
// SDL, whose resolvers are generated from the declarative data file (see
// tests/scenarios/README.md for the data format), served over HTTP on
// 127.0.0.1 with an OS-chosen port.
//
// Lifecycle: startSubgraph() resolves once the server listens (or, for the
// "down" fault, once a port with nothing behind it was found); close() stops
// it. A subgraph keeps mutable state (data.state) for mutations; reset()
// restores it and clears the request log.
const http = require('http');
const net = require('net');
const { load } = require('./deps');

const graphql = load('graphql');
const { buildSubgraphSchema } = load('@apollo/subgraph');

const {
  GraphQLError, parse, validate, execute, getOperationAST, isInterfaceType,
  isObjectType, Kind,
} = graphql;

function deepClone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function deepMerge(base, over) {
  if (base === null || typeof base !== 'object' || Array.isArray(base) ||
      over === null || typeof over !== 'object' || Array.isArray(over)) {
    return over;
  }
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = k in base ? deepMerge(base[k], v) : v;
  }
  return out;
}

// Field sets of @key arguments, parsed into trees {name: subtree|null}.
function parseFieldSet(fields) {
  const doc = parse(`{${fields}}`);
  const walk = (sel) => {
    const out = {};
    for (const s of sel.selections) {
      if (s.kind !== Kind.FIELD) continue;
      out[s.name.value] = s.selectionSet ? walk(s.selectionSet) : null;
    }
    return out;
  };
  return walk(doc.definitions[0].selectionSet);
}

function project(value, tree) {
  if (tree === null || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => project(v, tree));
  const out = {};
  for (const [k, sub] of Object.entries(tree)) out[k] = project(value[k], sub);
  return out;
}

function keysOfTypes(doc) {
  const keys = new Map();
  for (const def of doc.definitions) {
    if (!def.name || !def.directives) continue;
    for (const d of def.directives) {
      if (d.name.value !== 'key') continue;
      const arg = d.arguments.find((a) => a.name.value === 'fields');
      if (!arg) continue;
      const list = keys.get(def.name.value) || [];
      list.push(parseFieldSet(arg.value.value));
      keys.set(def.name.value, list);
    }
  }
  return keys;
}

class Subgraph {
  constructor({ name, sdl, data }) {
    this.name = name;
    this.data = data || {};
    this.server = this.data.__server || {};
    this.types = this.data.types || {};
    const doc = parse(sdl);
    this.keys = keysOfTypes(doc);
    const resolvers = {};
    const entityTypes =
        new Set([...this.keys.keys(), ...Object.keys(this.data.entities || {})]);
    for (const typeName of entityTypes) {
      resolvers[typeName] = {
        __resolveReference: (rep) => this.resolveReference(typeName, rep),
      };
    }
    this.schema = buildSubgraphSchema({ typeDefs: doc, resolvers });
    this.fns = new Map();
    this.reset();
  }

  reset() {
    this.state = deepClone(this.data.state) || {};
    // Entity tables live in the state so mutations can change them.
    this.state.entities = deepClone(this.data.entities) || {};
    this.requests = [];
  }

  candidateRows(typeName) {
    const type = this.schema.getType(typeName);
    const rows = (this.state.entities[typeName] || [])
                     .map((r) => ({ __typename: typeName, ...r }));
    if (isInterfaceType(type)) {
      for (const impl of this.schema.getPossibleTypes(type)) {
        for (const r of this.state.entities[impl.name] || []) {
          rows.push({ __typename: impl.name, ...r });
        }
      }
    } else if (isObjectType(type)) {
      for (const iface of type.getInterfaces()) {
        for (const r of this.state.entities[iface.name] || []) {
          if (r.__typename === typeName) rows.push({ ...r });
        }
      }
    }
    return rows;
  }

  findEntity(typeName, rep) {
    const keys = this.keys.get(typeName) || [];
    const rows = this.candidateRows(typeName);
    for (const row of rows) {
      for (const key of keys) {
        const wanted = project(rep, key);
        if (Object.keys(key).some((k) => rep[k] === undefined)) continue;
        if (deepEqual(project(row, key), wanted)) return row;
      }
      // Types without a @key in this subgraph (e.g. an @interfaceObject's
      // implementations) are matched on every field the representation has.
      if (keys.length === 0 &&
          Object.entries(rep).every(
              ([k, v]) => k === '__typename' || deepEqual(row[k], v))) {
        return row;
      }
    }
    return undefined;
  }

  resolveReference(typeName, rep) {
    // Without a table the subgraph only contributes fields computed from the
    // representation (per-type defaults, @requires inputs).
    if (this.candidateRows(typeName).length === 0 &&
        this.state.entities[typeName] === undefined) {
      return { ...rep };
    }
    const row = this.findEntity(typeName, rep);
    if (row === undefined) return null;
    const { __typename, ...fields } = rep;
    const merged = deepMerge(row, fields);
    // An interface entity resolves to the concrete type the row names.
    if (row.__typename) merged.__typename = row.__typename;
    return merged;
  }

  fn(code) {
    let f = this.fns.get(code);
    if (!f) {
      f = new Function('obj', 'args', 'ctx', 'info', `return (${code});`);
      this.fns.set(code, f);
    }
    return f;
  }

  ref(r) {
    const typeName = r.__typename;
    const row = this.findEntity(typeName, r);
    return row ? { ...row } : { ...r };
  }

  // Turns a data-file value into what graphql-js expects a resolver to return.
  value(v, parent, args, ctx, info) {
    if (v === null || v === undefined || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      return v.map((item) => this.value(item, parent, args, ctx, info));
    }
    if ('__error' in v) {
      return new GraphQLError(
          v.__error, v.extensions ? { extensions: v.extensions } : {});
    }
    if ('__js' in v) {
      let result;
      try {
        result = this.fn(v.__js)(parent, args, ctx, info);
      } catch (e) {
        return new GraphQLError(`__js failed: ${e.message}`);
      }
      return this.value(result, parent, args, ctx, info);
    }
    if ('__ref' in v) return this.ref(v.__ref);
    if ('__delay' in v) {
      return new Promise((resolve) => setTimeout(resolve, v.__delay))
          .then(() => this.value(v.value, parent, args, ctx, info));
    }
    return v;
  }

  fieldResolver() {
    return (source, args, ctx, info) => {
      if (source === null || typeof source !== 'object') return null;
      let v = source[info.fieldName];
      // Per-type defaults: fields computed for every object of a type that
      // does not carry the field itself.
      if (v === undefined) {
        const defaults = this.types[info.parentType.name];
        if (defaults && info.fieldName in defaults) v = defaults[info.fieldName];
      }
      return this.value(v, source, args, ctx, info);
    };
  }

  async executeRequest(body, headers) {
    if (body === null || typeof body !== 'object' ||
        typeof body.query !== 'string') {
      return { errors: [{ message: 'request body must carry a query' }] };
    }
    let document;
    try {
      document = parse(body.query);
    } catch (e) {
      return { errors: [e.toJSON()] };
    }
    const validationErrors = validate(this.schema, document);
    if (validationErrors.length > 0) {
      return { errors: validationErrors.map((e) => e.toJSON()) };
    }
    const op = getOperationAST(document, body.operationName);
    const rootName = op && op.operation === 'mutation' ? 'Mutation' :
        op && op.operation === 'subscription'          ? 'Subscription' :
                                                         'Query';
    const rootValue = this.data[rootName] || {};
    const result = await execute({
      schema: this.schema,
      document,
      rootValue,
      contextValue: {
        state: this.state,
        headers,
        subgraph: this.name,
        table: (t) => this.candidateRows(t),
        ref: (r) => this.ref(r),
      },
      variableValues: body.variables,
      operationName: body.operationName,
      fieldResolver: this.fieldResolver(),
    });
    const out = {};
    if (result.errors) out.errors = result.errors.map((e) => e.toJSON());
    if ('data' in result) out.data = result.data;
    return out;
  }

  // The fault configured for this request, or null. `match` restricts a fault
  // to operations whose text matches a regular expression (e.g. "_entities").
  faultFor(body) {
    const s = this.server;
    if (!s.mode || s.mode === 'down') return null;
    if (s.match && !(body && typeof body.query === 'string' &&
                     new RegExp(s.match).test(body.query))) {
      return null;
    }
    return s;
  }
}

const kPresets = {
  http500: {
    status: 500,
    contentType: 'text/plain',
    body: 'Internal Server Error',
  },
  nonjson: {
    status: 200,
    contentType: 'text/html',
    body: '<html><body>not graphql</body></html>',
  },
  wrongshape: {
    status: 200,
    contentType: 'application/json',
    body: '{"data":[1,2,3]}',
  },
};

function reply(res, status, contentType, body) {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function handle(sg, req, res) {
  const urlPath = req.url.split('?')[0];
  if (req.method === 'GET' && urlPath.endsWith('/__requests')) {
    return reply(res, 200, 'application/json', JSON.stringify(sg.requests));
  }
  if (req.method === 'POST' && urlPath.endsWith('/__reset')) {
    sg.reset();
    return reply(res, 200, 'application/json', '{"ok":true}');
  }
  if (req.method !== 'POST') {
    return reply(res, 405, 'text/plain', 'POST only');
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    return reply(res, 400, 'application/json',
                 JSON.stringify({ errors: [{ message: 'malformed JSON' }] }));
  }
  sg.requests.push(body);
  const fault = sg.faultFor(body);
  const delay = (fault && fault.delayMs) || 0;
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  if (fault && fault.mode !== 'slow') {
    const preset = kPresets[fault.mode] || {};
    return reply(res, fault.status || preset.status || 200,
                 fault.contentType || preset.contentType || 'application/json',
                 fault.body !== undefined ? fault.body : preset.body || '');
  }
  const result = await sg.executeRequest(body, req.headers);
  return reply(res, 200, 'application/json', JSON.stringify(result));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// options.fault overrides data.__server (e.g. {mode: 'down'}).
async function startSubgraph(def, options = {}) {
  const data = { ...def.data };
  if (options.fault) data.__server = options.fault;
  const sg = new Subgraph({ ...def, data });
  if (sg.server.mode === 'down') {
    const port = await freePort();
    return {
      name: def.name,
      url: `http://127.0.0.1:${port}/graphql`,
      port,
      subgraph: sg,
      close: async () => {},
    };
  }
  const server = http.createServer((req, res) => {
    handle(sg, req, res).catch((e) => {
      if (!res.headersSent) {
        reply(res, 500, 'text/plain', `harness failure: ${e.stack}`);
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    name: def.name,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    subgraph: sg,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

async function startScenarioSubgraphs(defs, faults = {}) {
  const started = [];
  for (const def of defs) {
    started.push(await startSubgraph(def, { fault: faults[def.name] }));
  }
  return {
    subgraphs: started,
    urls: Object.fromEntries(started.map((s) => [s.name, s.url])),
    reset: () => started.forEach((s) => s.subgraph.reset()),
    close: () => Promise.all(started.map((s) => s.close())),
  };
}

module.exports = { Subgraph, startSubgraph, startScenarioSubgraphs };
