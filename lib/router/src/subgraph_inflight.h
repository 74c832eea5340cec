// SubgraphInflight: one event loop's subgraph requests in flight, by their exact bytes
// (HttpSubgraphFetcher's deduplication). Used on that loop's thread only.
#pragma once

#include <string>

#include "inflight.h"
#include "orbit/base/status.h"
#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/net/http_client.h"
#include "orbit/router/http_fetcher.h"

namespace orbit::router {

class SubgraphInflight {
 public:
  using Table = InflightTable<Result<executor::SubgraphResponse>>;

  // Everything the subgraph sees of the request: the URL, every header field in order, and
  // the body, with separators that cannot occur inside a URL or a header.
  static std::string key(const net::HttpClientRequest& request) {
    size_t size = request.url.size() + request.body.size() + 2;
    for (const auto& [name, value] : request.headers)
      size += name.size() + value.size() + 2;
    std::string key;
    key.reserve(size);
    key += request.url;
    key += '\n';
    for (const auto& [name, value] : request.headers) {
      key += name;
      key += ':';
      key += value;
      key += '\n';
    }
    key += '\n';
    key += request.body;
    return key;
  }

  Table table;
};

}  // namespace orbit::router
