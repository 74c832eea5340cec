#include "orbit/controlplane/controlplane_server.h"

#include <sys/stat.h>

#include <filesystem>

#include "orbit/base/log.h"
#include "orbit/controlplane/usage_api.h"
#include "orbit/registry/usage_store.h"
#include "orbit/security/ed25519.h"
#include "orbit/security/graph_token.h"

namespace orbit::controlplane {
namespace {

using registry::api_error;
using registry::ApiCode;

registry::Outcome ensure_directory(const std::string& path, std::string_view flag) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec || !std::filesystem::is_directory(path, ec))
    return api_error(ApiCode::kInvalidArgument,
                     std::string(flag) + " " + path + ": not a directory and cannot be created" +
                         (ec ? " (" + ec.message() + ")" : std::string()));
  return registry::Done{};
}

}  // namespace

ControlplaneServer::ControlplaneServer(ControlplaneOptions options)
    : options_(std::move(options)) {}

ControlplaneServer::~ControlplaneServer() {
  stop(std::chrono::milliseconds(0));
}

registry::Outcome ControlplaneServer::start() {
  if (options_.data_dir.empty() && (options_.database_url.empty() || options_.cdn_storage.empty()))
    return api_error(ApiCode::kInvalidArgument,
                     "--data-dir is required (or both --database-url and --cdn-storage)");
  if (!options_.data_dir.empty()) ORBIT_TRY(ensure_directory(options_.data_dir, "--data-dir"));
  if (options_.cdn_storage.empty()) options_.cdn_storage = options_.data_dir + "/cdn";
  ORBIT_TRY(ensure_directory(options_.cdn_storage, "--cdn-storage"));
  if (options_.revocations_path.empty())
    options_.revocations_path = options_.cdn_storage + "/revoked.txt";
  if (options_.signing_key_path.empty())
    return api_error(ApiCode::kInvalidArgument,
                     "--signing-key is required (the Ed25519 key that signs artifacts; "
                     "orbit-cdn keygen writes one)");
  if (options_.token_key_path.empty())
    return api_error(ApiCode::kInvalidArgument,
                     "--token-key is required (the Ed25519 key that signs graph tokens)");
  auto signing_key = security::load_private_key(options_.signing_key_path);
  if (!signing_key.ok())
    return api_error(ApiCode::kInvalidArgument, "--signing-key: " + signing_key.status().message());
  auto token_key = security::load_private_key(options_.token_key_path);
  if (!token_key.ok())
    return api_error(ApiCode::kInvalidArgument, "--token-key: " + token_key.status().message());

  std::string location =
      options_.database_url.empty() ? options_.data_dir + "/orbit.db" : options_.database_url;
  auto store = registry::Store::open(location);
  if (!store.ok()) return store.error();
  log::info("database: {} (schema version {})", (*store)->backend_name(),
            (*store)->schema_version());

  registry::RegistryOptions registry_options;
  registry_options.cdn_storage = options_.cdn_storage;
  registry_options.revocations_path = options_.revocations_path;
  registry_options.audience = options_.audience;
  registry_options.max_sdl_bytes = options_.max_sdl_bytes;
  registry_ = std::make_unique<registry::Registry>(std::move(*store), std::move(*signing_key),
                                                   std::move(*token_key), registry_options);
  auto secret = registry_->bootstrap(options_.bootstrap_org, options_.bootstrap_api_key);
  if (!secret.ok()) return secret.error();
  if (!secret->empty() && options_.bootstrap_api_key.empty()) bootstrap_secret_ = *secret;
  if (!secret->empty())
    log::info("first start: created the organization \"{}\" with an admin API key",
              options_.bootstrap_org);
  auto rewritten = registry_->reconcile();
  if (!rewritten.ok()) return rewritten.error();

  if (options_.usage_retention_days < 1 || options_.usage_retention_days > 3650)
    return api_error(ApiCode::kInvalidArgument, "--usage-retention-days: expected 1 to 3650, got " +
                                                    std::to_string(options_.usage_retention_days));
  UsageOptions usage;
  usage.retention_seconds = options_.usage_retention_days * 86400;
  handler_ = std::make_unique<ApiHandler>(*registry_, usage);
  ORBIT_TRY(start_studio());
  worker_ = std::thread([this] { worker_loop(); });
  loops_ = std::make_unique<net::LoopGroup>(std::max<uint32_t>(1, options_.threads));
  loops_->start();
  net::HttpServerOptions http;
  http.host = options_.listen.host;
  http.port = options_.listen.port;
  http.max_body_bytes = options_.max_body_bytes;
  server_ = std::make_unique<net::HttpServer>(
      loops_->loops(), http, [this](net::HttpRequest&& request, net::HttpResponder responder) {
        auto shared = std::make_shared<net::HttpRequest>(std::move(request));
        std::lock_guard<std::mutex> lock(mu_);
        // Usage batches are shed first: routers retry them later, people wait for the rest.
        if (queue_.size() >= options_.max_queued_requests && shared->path() == "/v1/usage") {
          ApiResponse r = usage_overloaded();
          responder.send(r.status, std::move(r.headers), std::move(r.body));
          return;
        }
        queue_.push_back([this, shared, responder]() mutable {
          ApiResponse r = handler_->handle(*shared);
          responder.send(r.status, std::move(r.headers), std::move(r.body));
        });
        cv_.notify_one();
      });
  Status started = server_->start();
  if (!started.ok()) return api_error(ApiCode::kUnavailable, started.message());
  return registry::Done{};
}

void ControlplaneServer::worker_loop() {
  auto next_purge = std::chrono::steady_clock::now();
  while (true) {
    if (std::chrono::steady_clock::now() >= next_purge) {
      purge_usage();
      next_purge = std::chrono::steady_clock::now() + options_.usage_purge_interval;
    }
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next_purge, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        if (stopping_) return;
        continue;
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void ControlplaneServer::purge_usage() {
  registry::UsageStore usage(registry_->store());
  auto deleted = usage.purge(security::unix_now(), options_.usage_retention_days * int64_t{86400});
  if (!deleted.ok())
    log::error("purging usage older than {} days: {}", options_.usage_retention_days,
               deleted.error().message);
  else if (*deleted > 0)
    log::info("purged {} usage rows older than {} days", *deleted, options_.usage_retention_days);
}

void ControlplaneServer::stop(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  if (server_) server_->stop(grace);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  server_.reset();
  if (loops_) loops_->stop();
}

}  // namespace orbit::controlplane
