// HttpSubgraphFetcher: the executor's SubgraphFetcher over lib/net's HttpClient.
//
// Sends each subgraph request as `POST <url>` with a JSON body to the URL and within the
// timeout the snapshot's SubgraphSettings give the subgraph, with the client's request headers
// that the subgraph's `propagate_headers` name (every field of each name, in the client's
// order). One fetcher per request; the client is the event loop's own.
//
// Deduplication: given the loop's SubgraphInflight table, a query (never a mutation) that is
// byte for byte the same request as one in flight on this loop — same URL, same propagated
// header fields, same body — waits for that request's answer instead of sending its own.
//
// Threading: construct and use on the client's loop thread; answers arrive on that thread
// (HttpClient's contract), as the executor requires. The client and the table must outlive
// the fetches.
#pragma once

#include <memory>

#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/net/http_client.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/request_handler.h"

namespace orbit::router {

// One per event loop (the router's subgraph request deduplication).
class SubgraphInflight;

class HttpSubgraphFetcher final : public executor::SubgraphFetcher {
 public:
  // Keeps a copy of the `client_headers` that some subgraph of the snapshot propagates.
  // `inflight` null: every request is sent.
  // `context.record` (may be null): each fetch adds its FetchRecord there and is shown to the
  // observers (on_fetch) before it is sent.
  HttpSubgraphFetcher(net::HttpClient& client, std::shared_ptr<const GraphSnapshot> snapshot,
                      const net::HttpHeaders& client_headers = {},
                      SubgraphInflight* inflight = nullptr, FetchContext context = {});

  void fetch(executor::SubgraphRequest request, Callback done) override;
  // Posted to the loop: after the answers the loop has ready.
  void defer(std::function<void()> task) override;

 private:
  // `fetch_index`: the FetchRecord of the request in context_.record (-1: none).
  void send(net::HttpClientRequest request, int fetch_index, Callback done);

  net::HttpClient& client_;
  SubgraphInflight* inflight_;
  std::shared_ptr<const GraphSnapshot> snapshot_;
  net::HttpHeaders propagated_;  // the client's fields that some subgraph receives
  FetchContext context_;
};

}  // namespace orbit::router
