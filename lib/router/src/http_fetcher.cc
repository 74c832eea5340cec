#include "orbit/router/http_fetcher.h"

#include <utility>

namespace orbit::router {

HttpSubgraphFetcher::HttpSubgraphFetcher(net::HttpClient& client,
                                         std::shared_ptr<const GraphSnapshot> snapshot,
                                         const net::HttpHeaders& client_headers)
    : client_(client), snapshot_(std::move(snapshot)) {
  if (client_headers.empty()) return;
  for (const SubgraphSettings& s : snapshot_->subgraphs()) {
    for (const std::string& name : s.propagate_headers) {
      if (propagated_.contains(name)) continue;
      for (const auto& [field, value] : client_headers) {
        if (net::iequals(field, name)) propagated_.add(field, value);
      }
    }
  }
}

void HttpSubgraphFetcher::fetch(uint32_t subgraph, std::string body, Callback done) {
  auto subgraphs = snapshot_->subgraphs();
  if (subgraph >= subgraphs.size()) {
    done(Status(ErrorCode::kInternal, "no subgraph with index " + std::to_string(subgraph)));
    return;
  }
  const SubgraphSettings& settings = subgraphs[subgraph];
  net::HttpClientRequest request;
  request.method = "POST";
  request.url = settings.url;
  request.headers.add("Content-Type", "application/json");
  request.headers.add("Accept", "application/graphql-response+json, application/json");
  for (const std::string& name : settings.propagate_headers) {
    for (const auto& [field, value] : propagated_) {
      if (net::iequals(field, name)) request.headers.add(field, value);
    }
  }
  request.body = std::move(body);
  request.timeout = settings.timeout;
  client_.fetch(request, [done = std::move(done)](Result<net::HttpClientResponse> response) {
    if (!response.ok()) {
      done(response.status());
      return;
    }
    executor::SubgraphResponse answer;
    answer.status = response->status;
    answer.body = std::move(response->body);
    done(std::move(answer));
  });
}

}  // namespace orbit::router
