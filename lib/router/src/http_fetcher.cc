#include "orbit/router/http_fetcher.h"

#include <utility>

namespace orbit::router {

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
