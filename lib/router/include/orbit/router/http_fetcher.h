// HttpSubgraphFetcher: the executor's SubgraphFetcher over lib/net's HttpClient.
//
// Sends each subgraph request as `POST <url>` with a JSON body to the URL and within the
// timeout the snapshot's SubgraphSettings give the subgraph, with the client's request headers
// that the subgraph's `propagate_headers` name (every field of each name, in the client's
// order). One fetcher per request; the client is the event loop's own.
//
// Threading: construct and use on the client's loop thread; answers arrive on that thread
// (HttpClient's contract), as the executor requires. The client must outlive the fetches.
#pragma once

#include <memory>

#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/net/http_client.h"
#include "orbit/router/graph_snapshot.h"

namespace orbit::router {

class HttpSubgraphFetcher final : public executor::SubgraphFetcher {
 public:
  // Keeps a copy of the `client_headers` that some subgraph of the snapshot propagates.
  HttpSubgraphFetcher(net::HttpClient& client, std::shared_ptr<const GraphSnapshot> snapshot,
                      const net::HttpHeaders& client_headers = {});

  void fetch(uint32_t subgraph, std::string body, Callback done) override;

 private:
  net::HttpClient& client_;
  std::shared_ptr<const GraphSnapshot> snapshot_;
  net::HttpHeaders propagated_;  // the client's fields that some subgraph receives
};

}  // namespace orbit::router
