// CdnServer: orbit-cdn's wiring — event loops, the HTTP server (lib/net), the token verifier
// with its public keys, the revocation source, the artifact store, the fleet recorder and the
// access log.
//
// Lifecycle (owner thread): construct, start() (reads the keys and the revocation list,
// checks the storage directory, binds; port() is then the real port), stop(grace) drains the
// requests in flight, then writes the fleet files a last time. The destructor stops without grace
// if needed.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "orbit/base/status.h"
#include "orbit/cdn/access_log.h"
#include "orbit/cdn/artifact_store.h"
#include "orbit/cdn/cdn_handler.h"
#include "orbit/cdn/fleet_recorder.h"
#include "orbit/cdn/revocation_source.h"
#include "orbit/config/router_config.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"

namespace orbit::cdn {

struct CdnOptions {
  config::ListenAddress listen{"127.0.0.1", 8080};
  std::string storage_dir;
  std::string token_public_key_path;  // one or more PEM public keys
  std::string revocations_path;       // empty: no revocation list
  std::string audience{security::kGraphTokenAudience};
  uint32_t threads = 2;
  size_t max_artifact_bytes = 64 * 1024 * 1024;
  std::chrono::milliseconds revocations_poll_interval{1000};
  std::FILE* access_log = stdout;  // null: off
  bool record_fleet = true;        // routers.json per graph (fleet_recorder.h)
  FleetOptions fleet;
};

class CdnServer {
 public:
  explicit CdnServer(CdnOptions options);
  ~CdnServer();
  CdnServer(const CdnServer&) = delete;
  CdnServer& operator=(const CdnServer&) = delete;

  // kInvalidArgument / kIo for keys, the list or the storage directory (messages name the
  // file), kUnavailable when the address cannot be bound.
  Status start();
  uint16_t port() const { return server_ ? server_->port() : 0; }
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));

  const RevocationSource* revocations() const { return revocations_.get(); }
  const security::PublicKeySet& token_keys() const { return token_keys_; }
  // Null when record_fleet is off or before start().
  FleetRecorder* fleet() const { return fleet_.get(); }

 private:
  CdnOptions options_;
  security::PublicKeySet token_keys_;
  std::unique_ptr<net::LoopGroup> loops_;
  std::unique_ptr<ArtifactStore> store_;
  std::unique_ptr<RevocationSource> revocations_;
  std::unique_ptr<FleetRecorder> fleet_;
  std::unique_ptr<CdnHandler> handler_;
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<net::HttpServer> server_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace orbit::cdn
