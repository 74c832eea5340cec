#include "orbit/cdn/cdn_server.h"

#include <sys/stat.h>

#include <chrono>

#include "orbit/base/log.h"

namespace orbit::cdn {

CdnServer::CdnServer(CdnOptions options) : options_(std::move(options)) {}

CdnServer::~CdnServer() {
  if (started_) stop(std::chrono::milliseconds(0));
}

Status CdnServer::start() {
  if (started_) return Status(ErrorCode::kInternal, "CdnServer::start() called twice");
  if (options_.storage_dir.empty())
    return Status(ErrorCode::kInvalidArgument, "no storage directory (--storage DIR)");
  struct stat st {};
  if (::stat(options_.storage_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Status(ErrorCode::kInvalidArgument,
                  options_.storage_dir + ": not a directory (the artifact storage)");
  if (options_.token_public_key_path.empty())
    return Status(ErrorCode::kInvalidArgument,
                  "no public key to verify graph tokens with (--token-public-key FILE)");
  auto keys = security::load_public_keys(options_.token_public_key_path);
  if (!keys.ok()) return keys.status();
  token_keys_ = std::move(*keys);
  if (!options_.revocations_path.empty()) {
    revocations_ = std::make_unique<RevocationSource>(options_.revocations_path,
                                                      options_.revocations_poll_interval);
    ORBIT_RETURN_IF_ERROR(revocations_->start());
  }
  store_ = std::make_unique<ArtifactStore>(options_.storage_dir, options_.max_artifact_bytes);
  security::TokenVerifyOptions verify;
  verify.audience = options_.audience;
  handler_ = std::make_unique<CdnHandler>(
      *store_, security::GraphTokenVerifier(token_keys_, verify), revocations_.get());
  if (options_.record_fleet) {
    fleet_ = std::make_unique<FleetRecorder>(options_.storage_dir, options_.fleet);
    fleet_->start();
    handler_->set_fleet(fleet_.get());
  }
  access_log_ = std::make_unique<AccessLog>(options_.access_log);

  loops_ = std::make_unique<net::LoopGroup>(std::max<uint32_t>(1, options_.threads));
  loops_->start();
  net::HttpServerOptions http;
  http.host = options_.listen.host;
  http.port = options_.listen.port;
  http.max_body_bytes = 64 * 1024;  // GET only; nothing to upload
  server_ = std::make_unique<net::HttpServer>(
      loops_->loops(), http, [this](net::HttpRequest&& request, net::HttpResponder responder) {
        auto start = std::chrono::steady_clock::now();
        AccessRecord record;
        CdnAnswer answer = handler_->handle(request, &record);
        double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        access_log_->write(request, answer.status, answer.body.size(), ms, record);
        responder.send(answer.status, std::move(answer.headers), std::move(answer.body));
      });
  Status status = server_->start();
  started_ = true;
  if (!status.ok()) {
    stop(std::chrono::milliseconds(0));
    return status;
  }
  return {};
}

void CdnServer::stop(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  if (server_) server_->stop(grace);
  server_.reset();
  if (loops_) loops_->stop();
  if (fleet_) fleet_->stop();
  if (revocations_) revocations_->stop();
}

}  // namespace orbit::cdn
