#!/usr/bin/env node
'use strict';
// @apollo/gateway inside @apollo/server for the federation benchmark, as its documentation
// sets it up: the supergraph from a file, the client's Authorization header sent on to every
// subgraph (RemoteGraphQLDataSource.willSendRequest). Prints "listening PORT" when ready.
//
//   node apollo-gateway.js SUPERGRAPH_FILE PORT
const fs = require('fs');
const { ApolloGateway, RemoteGraphQLDataSource } = require('@apollo/gateway');
const { ApolloServer } = require('@apollo/server');
const { startStandaloneServer } = require('@apollo/server/standalone');

const [supergraphFile, port] = process.argv.slice(2);
const quiet = { debug() {}, info() {}, warn() {}, error(...a) { console.error(...a); } };

class PropagatingDataSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    if (context.authorization) request.http.headers.set('authorization', context.authorization);
  }
}

async function main() {
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(supergraphFile, 'utf8'),
    logger: quiet,
    buildService: ({ url }) => new PropagatingDataSource({ url }),
  });
  const server = new ApolloServer({ gateway, logger: quiet, csrfPrevention: false });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(port), host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  console.log(`listening ${new URL(url).port}`);
  const stop = () => server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
