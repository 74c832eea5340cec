// `orbit compose`: graph.yaml -> subgraph SDLs (files or `_service { sdl }` of running
// subgraphs) -> composition -> the router config artifact (JSON, lib/config's format) and,
// optionally, the supergraph SDL. Errors and hints are printed with code, subgraph and
// location; the return value is the process exit status.
//
// run_compose() does blocking I/O on the calling thread (files, and the SDL fetcher); it has
// no shared state.
#pragma once

#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "orbit/base/status.h"

namespace orbit::cli {

struct ComposeCommandOptions {
  std::string input;           // graph.yaml
  std::string output;          // router.json; "-" for stdout
  std::string supergraph_out;  // optional supergraph.graphql
  bool quiet_hints = false;
  int fetch_timeout_ms = 10'000;
};

// Fetches a subgraph's SDL from a running subgraph (POST {"query":"{ _service { sdl } }"}).
using SdlFetcher = std::function<Result<std::string>(
    const std::string& url, const std::map<std::string, std::string>& headers, int timeout_ms)>;

// The fetcher over HTTP(S) (lib/net), with a private event loop per call.
Result<std::string> fetch_service_sdl(const std::string& url,
                                      const std::map<std::string, std::string>& headers,
                                      int timeout_ms);

// Exit status: 0 composed and written, 1 composition errors, 2 bad input (config, files,
// fetch, write).
int run_compose(const ComposeCommandOptions& options, std::ostream& out, std::ostream& err,
                const SdlFetcher& fetcher = fetch_service_sdl);

// Lowercase hex SHA-256 of `data` (the artifact version).
std::string sha256_hex(std::string_view data);

}  // namespace orbit::cli
