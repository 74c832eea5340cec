// @graphql-hive/gateway for the federation benchmark (`hive-gateway supergraph FILE -c this`):
// the client's Authorization header sent on to every subgraph. Everything else is the CLI's
// default configuration.
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
  },
});
