#include "federation_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "orbit/base/json_writer.h"

namespace orbit::bench {

std::string read_file_or_die(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::abort();
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

FederationFixture::FederationFixture(const std::string& dir) {
  query_ = read_file_or_die(dir + "/query.graphql");
  request_body_ = "{\"query\":";
  append_json_string(request_body_, query_);
  request_body_ += "}";
  supergraph_sdl_ = read_file_or_die(dir + "/supergraph.graphql");
  auto snapshot = router::GraphSnapshot::build(supergraph_sdl_, router::RouterConfig());
  if (!snapshot.ok()) {
    std::fprintf(stderr, "supergraph: %s\n", snapshot.status().to_string().c_str());
    std::abort();
  }
  snapshot_ = *snapshot;
  for (const router::SubgraphSettings& s : snapshot_->subgraphs()) {
    const SubgraphId* id = nullptr;
    for (const SubgraphId& candidate : kAllSubgraphs) {
      if (subgraph_name(candidate) == s.name) id = &candidate;
    }
    if (id == nullptr) {
      std::fprintf(stderr, "supergraph: unknown subgraph %s\n", s.name.c_str());
      std::abort();
    }
    subgraphs_.push_back(std::make_unique<BenchSubgraph>(
        *id, read_file_or_die(dir + "/subgraphs/" + s.name + ".graphql")));
  }
  answers_.resize(subgraphs_.size());
}

const std::string& FederationFixture::answer(uint32_t subgraph, const std::string& body) {
  auto& table = answers_.at(subgraph);
  auto it = table.find(body);
  if (it == table.end()) it = table.emplace(body, subgraphs_[subgraph]->answer(body)).first;
  return it->second;
}

size_t FederationFixture::recorded() const {
  size_t n = 0;
  for (const auto& t : answers_)
    n += t.size();
  return n;
}

std::unique_ptr<executor::SubgraphFetcher> FederationFixture::make_fetcher() {
  struct Fetcher final : executor::SubgraphFetcher {
    FederationFixture* fixture;
    void fetch(executor::SubgraphRequest request, Callback done) override {
      if (request.subgraph >= fixture->subgraphs_.size()) {
        done(Status(ErrorCode::kInternal, "no subgraph " + std::to_string(request.subgraph)));
        return;
      }
      // As the router's HTTP client hands over a body: with the parser's spare capacity.
      const std::string& answer = fixture->answer(request.subgraph, request.body);
      executor::SubgraphResponse response;
      response.body.reserve(answer.size() + executor::kSubgraphBodySpareBytes);
      response.body.append(answer);
      done(std::move(response));
    }
  };
  auto f = std::make_unique<Fetcher>();
  f->fixture = this;
  return f;
}

}  // namespace orbit::bench
