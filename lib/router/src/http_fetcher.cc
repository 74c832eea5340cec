#include "orbit/router/http_fetcher.h"

#include <chrono>
#include <utility>

#include "subgraph_inflight.h"

namespace orbit::router {

HttpSubgraphFetcher::HttpSubgraphFetcher(net::HttpClient& client,
                                         std::shared_ptr<const GraphSnapshot> snapshot,
                                         const net::HttpHeaders& client_headers,
                                         SubgraphInflight* inflight, FetchContext context)
    : client_(client), inflight_(inflight), snapshot_(std::move(snapshot)), context_(context) {
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
  request.headers.reserve(2 + propagated_.size());
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
  int fetch_index = -1;
  RequestRecord* record = context_.record;
  if (record != nullptr) {
    FetchRecord& f = record->fetches.emplace_back();
    f.subgraph = subgraph_request.subgraph;
    f.subgraph_name = settings.name;
    f.operation_type = subgraph_request.operation_type;
    f.start_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - record->start)
                     .count();
    f.request_bytes = request.body.size();
    f.deduplicated = true;  // until it is the request sent
    fetch_index = static_cast<int>(record->fetches.size() - 1);
    // The answer completes the record; a deduplicated one gets the shared answer.
    done = [record, fetch_index, done = std::move(done)](Result<executor::SubgraphResponse> r) {
      FetchRecord& f = record->fetches[fetch_index];
      f.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - record->start)
                          .count() -
                      f.start_ns;
      if (r.ok()) {
        f.http_status = r->status;
        f.response_bytes = r->body.size();
      } else {
        f.transport_error = r.status().code();
      }
      done(std::move(r));
    };
  }
  if (inflight_ == nullptr || subgraph_request.operation_type != graphql::OperationType::kQuery) {
    send(std::move(request), fetch_index, std::move(done));
    return;
  }
  // The key is taken before observers add their header fields (trace context differs per
  // request): identical requests still share one answer.
  std::string key = SubgraphInflight::key(request);
  inflight_->table.run(
      std::move(key),
      [this, &request, fetch_index](SubgraphInflight::Table::Complete complete) {
        send(std::move(request), fetch_index, std::move(complete));
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

void HttpSubgraphFetcher::send(net::HttpClientRequest request, int fetch_index, Callback done) {
  if (fetch_index >= 0) {
    FetchRecord& f = context_.record->fetches[fetch_index];
    f.deduplicated = false;
    for (const std::shared_ptr<RequestObserver>& o : *context_.observers)
      o->on_fetch(*context_.record, f, request.headers);
  }
  client_.fetch(std::move(request),
                [done = std::move(done)](Result<net::HttpClientResponse> response) {
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
