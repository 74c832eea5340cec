#include "orbit/router/http_fetcher.h"

#include <utility>

#include "subgraph_inflight.h"

namespace orbit::router {

HttpSubgraphFetcher::HttpSubgraphFetcher(net::HttpClient& client,
                                         std::shared_ptr<const GraphSnapshot> snapshot,
                                         const net::HttpHeaders& client_headers,
                                         SubgraphInflight* inflight)
    : client_(client), inflight_(inflight), snapshot_(std::move(snapshot)) {
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

void HttpSubgraphFetcher::fetch(executor::SubgraphRequest subgraph_request, Callback done) {
  auto subgraphs = snapshot_->subgraphs();
  if (subgraph_request.subgraph >= subgraphs.size()) {
    done(Status(ErrorCode::kInternal,
                "no subgraph with index " + std::to_string(subgraph_request.subgraph)));
    return;
  }
  const SubgraphSettings& settings = subgraphs[subgraph_request.subgraph];
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
  request.body = std::move(subgraph_request.body);
  request.timeout = settings.timeout;
  // A query may be sent again when a pooled connection turns out closed; a mutation not.
  request.idempotent = subgraph_request.operation_type == graphql::OperationType::kQuery;
  if (inflight_ == nullptr || subgraph_request.operation_type != graphql::OperationType::kQuery) {
    send(std::move(request), std::move(done));
    return;
  }
  std::string key = SubgraphInflight::key(request);
  inflight_->table.run(
      std::move(key),
      [this, &request](SubgraphInflight::Table::Complete complete) {
        send(std::move(request), std::move(complete));
      },
      std::move(done));
}

void HttpSubgraphFetcher::defer(std::function<void()> task) {
  net::EventLoop* loop = net::EventLoop::current();
  if (loop == nullptr) {
    task();
    return;
  }
  loop->post(std::move(task));
}

void HttpSubgraphFetcher::send(net::HttpClientRequest request, Callback done) {
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
