#include "orbit/router/managed_poller.h"

#include <algorithm>
#include <future>
#include <optional>

#include "orbit/base/log.h"
#include "orbit/config/artifact.h"
#include "orbit/router/last_known_good.h"
#include "orbit/router/router_identity.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/graph_token.h"
#include "orbit/security/sha256.h"

namespace orbit::router {

namespace {

constexpr std::string_view kUserAgent = "orbit-router";

int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() < 1000) return std::to_string(d.count()) + " ms";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

// The start of a refusal's body, for the log (printable ASCII only).
std::string body_excerpt(std::string_view body) {
  std::string out;
  for (char ch : body.substr(0, 160))
    out += (ch >= 0x20 && ch <= 0x7e) ? ch : ' ';
  return out;
}

// A header value as the CDN accepts it (fleet_file.h of orbit-cdn): printable ASCII up to
// `max` bytes, else nothing — never a CR or LF of a config version into the request.
std::optional<std::string> header_value(std::string_view value, size_t max) {
  if (value.empty() || value.size() > max) return std::nullopt;
  for (char c : value)
    if (c < 0x20 || c > 0x7e) return std::nullopt;
  return std::string(value);
}

}  // namespace

// One poll: the URLs tried so far and why they did not serve.
struct ManagedPoller::Cycle {
  size_t index = 0;
  std::vector<std::string> errors;
  std::function<void(Outcome)> done;
};

ManagedPoller::ManagedPoller(RouterConfig config, ConfigReloader& reloader)
    : config_(std::move(config)), reloader_(reloader), random_(std::random_device{}()) {}

ManagedPoller::~ManagedPoller() {
  stop();
}

Status ManagedPoller::init() {
  const config::ManagedConfig& m = config_.managed;
  auto keys = security::load_public_keys(m.signature_public_key_path);
  if (!keys.ok()) return keys.status();
  keys_ = std::move(*keys);
  security::TokenCheck token = security::decode_graph_token(m.graph_token);
  if (!token.ok())
    return Status(ErrorCode::kInvalidArgument,
                  "the graph token is not a graph token (" + token.message + ")");
  org_ = token.claims.org;
  graph_ = token.claims.graph;
  if (token.claims.expires_at && *token.claims.expires_at <= security::unix_now())
    log::warn("the graph token ({}) expired at {}: the CDN will refuse it; ask for a new one",
              token.claims.token_id, *token.claims.expires_at);
  lkg_path_ = last_known_good_path(m.state_dir, org_, graph_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.org = org_;
    stats_.graph = graph_;
    stats_.last_known_good_path = lkg_path_;
  }
  loop_.start();
  loop_started_ = true;
  std::promise<void> ready;
  loop_.post([&] {
    net::HttpClientOptions options;
    options.request_timeout = m.request_timeout;
    options.connect_timeout = std::min(m.request_timeout, std::chrono::milliseconds(5'000));
    options.max_response_bytes = config::ArtifactLimits{}.max_bytes;
    options.max_idle_per_origin = 2;
    client_ = std::make_unique<net::HttpClient>(loop_, options);
    ready.set_value();
  });
  ready.get_future().wait();
  log::info(
      "managed mode: graph {}/{} from {} (poll every {} + up to {}; artifacts verified "
      "with key {}; last-known-good at {})",
      org_, graph_,
      [&] {
        std::string all;
        for (const std::string& u : m.cdn_urls)
          all += (all.empty() ? "" : ", ") + u;
        return all;
      }(),
      seconds_text(m.poll_interval), seconds_text(m.poll_jitter), keys_.key_ids(), lkg_path_);
  return {};
}

std::string ManagedPoller::artifact_url(const std::string& base) const {
  return base + "/" + org_ + "/" + graph_ + "/routerconfigs/latest.json";
}

bool ManagedPoller::load_initial() {
  std::promise<Outcome> first;
  loop_.post([&] {
    in_cycle_ = true;
    run_cycle([&](Outcome outcome) {
      in_cycle_ = false;
      first.set_value(outcome);
    });
  });
  Outcome outcome = first.get_future().get();
  if (outcome == Outcome::kUpdated) return true;
  std::string why;
  {
    std::lock_guard<std::mutex> lock(mu_);
    why = stats_.last_error;
  }
  if (load_last_known_good(why)) return true;
  log::error(
      "no config to serve: the CDN did not provide one ({}) and there is no usable "
      "last-known-good copy in {}; not ready, retrying",
      why.empty() ? "no answer" : why, lkg_path_);
  return false;
}

bool ManagedPoller::load_last_known_good(const std::string& why) {
  auto lkg = read_last_known_good(lkg_path_);
  if (!lkg.ok()) {
    if (lkg.status().code() != ErrorCode::kNotFound)
      log::error("last-known-good config not used: {}", lkg.status().message());
    return false;
  }
  Status verified = security::verify_artifact(lkg->artifact, lkg->signature, keys_);
  if (!verified.ok()) {
    log::error("last-known-good config not used: {}: {}", lkg_path_, verified.message());
    return false;
  }
  Status applied = reloader_.apply_artifact(lkg->artifact, lkg_path_, "last-known-good copy");
  if (!applied.ok()) return false;
  etag_ = lkg->etag;
  std::string version = reloader_.current() ? reloader_.current()->config_version() : "";
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.source = "last-known-good";
    stats_.source_url = lkg_path_;
    stats_.etag = lkg->etag;
    stats_.last_known_good_saved_at = lkg->saved_at;
  }
  log::warn(
      "starting from the last-known-good config version {} (saved {} from {}): the CDN did not "
      "provide one ({}); polling goes on",
      version, lkg->saved_at, lkg->source, why.empty() ? "no answer" : why);
  return true;
}

void ManagedPoller::start() {
  bool loaded = reloader_.current() != nullptr;
  loop_.post([this, loaded] {
    if (stopping_) return;
    polling_ = true;
    schedule(next_delay(loaded ? Outcome::kNotModified : Outcome::kFailed));
  });
}

void ManagedPoller::poll_now() {
  if (!loop_started_) return;
  loop_.post([this] {
    if (stopping_ || in_cycle_) return;
    if (timer_ != 0) loop_.cancel(timer_);
    timer_ = 0;
    in_cycle_ = true;
    run_cycle([this](Outcome outcome) { cycle_done(outcome); });
  });
}

void ManagedPoller::stop() {
  if (!loop_started_ || stopping_.exchange(true)) return;
  std::promise<void> done;
  loop_.post([&] {
    if (timer_ != 0) loop_.cancel(timer_);
    timer_ = 0;
    client_.reset();  // drops the callbacks of a request in flight
    done.set_value();
  });
  done.get_future().wait();
  loop_.stop();
}

void ManagedPoller::schedule(std::chrono::milliseconds delay) {
  timer_ = loop_.run_after(delay, [this] {
    timer_ = 0;
    if (stopping_) return;
    in_cycle_ = true;
    run_cycle([this](Outcome outcome) { cycle_done(outcome); });
  });
}

std::chrono::milliseconds ManagedPoller::next_delay(Outcome outcome) {
  const config::ManagedConfig& m = config_.managed;
  if (outcome != Outcome::kFailed) {
    int64_t jitter = m.poll_jitter.count() > 0
                         ? std::uniform_int_distribution<int64_t>(0, m.poll_jitter.count())(random_)
                         : 0;
    return m.poll_interval + std::chrono::milliseconds(jitter);
  }
  uint32_t failures;
  {
    std::lock_guard<std::mutex> lock(mu_);
    failures = std::max<uint32_t>(1, stats_.consecutive_failures);
  }
  int64_t delay = m.backoff_initial.count();
  for (uint32_t i = 1; i < failures && delay < m.backoff_max.count(); ++i)
    delay *= 2;
  delay = std::min(delay, m.backoff_max.count());
  // In the upper half, so that routers that failed together do not retry together.
  delay = std::uniform_int_distribution<int64_t>(delay / 2, delay)(random_);
  return std::chrono::milliseconds(std::max<int64_t>(delay, 1));
}

void ManagedPoller::cycle_done(Outcome outcome) {
  in_cycle_ = false;
  if (stopping_) return;
  std::chrono::milliseconds delay = next_delay(outcome);
  if (outcome == Outcome::kFailed) {
    ManagedStats s = stats();
    log::warn("CDN poll failed ({} in a row): {}; {}; next try in {}", s.consecutive_failures,
              s.last_error, serving_description(), seconds_text(delay));
  }
  if (polling_) schedule(delay);
}

std::string ManagedPoller::serving_description() const {
  std::shared_ptr<const GraphSnapshot> current = reloader_.current();
  if (current == nullptr) return "no config loaded yet (not ready)";
  std::lock_guard<std::mutex> lock(mu_);
  return "still serving config version " + current->config_version() +
         (stats_.source == "last-known-good" ? " (the last-known-good copy)" : "");
}

void ManagedPoller::note_error(const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  stats_.last_error = message;
  stats_.last_error_at = config::now_rfc3339();
}

void ManagedPoller::run_cycle(std::function<void(Outcome)> done) {
  auto cycle = std::make_shared<Cycle>();
  cycle->done = std::move(done);
  attempt(std::move(cycle));
}

void ManagedPoller::attempt(std::shared_ptr<Cycle> cycle) {
  const std::vector<std::string>& urls = config_.managed.cdn_urls;
  if (stopping_ || client_ == nullptr) return;
  if (cycle->index >= urls.size()) {
    std::string all;
    for (const std::string& e : cycle->errors)
      all += (all.empty() ? "" : "; ") + e;
    note_error(all);
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.polls_failed;
      ++stats_.consecutive_failures;
    }
    cycle->done(Outcome::kFailed);
    return;
  }
  std::string url = artifact_url(urls[cycle->index]);
  net::HttpClientRequest request;
  request.url = url;
  request.headers.add("Authorization", "Bearer " + config_.managed.graph_token);
  request.headers.add("Accept", "application/json");
  request.headers.add("User-Agent", std::string(kUserAgent));
  add_identity_headers(request.headers);
  std::string if_none_match = etag_;
  if (!rejected_etag_.empty())
    if_none_match += (if_none_match.empty() ? "" : ", ") + rejected_etag_;
  if (!if_none_match.empty()) request.headers.add("If-None-Match", if_none_match);
  client_->fetch(request, [this, cycle, url](Result<net::HttpClientResponse> answer) {
    std::optional<Outcome> outcome;
    if (!answer.ok()) {
      cycle->errors.push_back(answer.status().message());
    } else {
      outcome = handle_answer(*cycle, url, *answer);
    }
    if (!outcome) {
      ++cycle->index;
      attempt(cycle);
      return;
    }
    uint32_t failed_before;
    {
      std::lock_guard<std::mutex> lock(mu_);
      failed_before = stats_.consecutive_failures;
      stats_.consecutive_failures = 0;
      stats_.last_success_at = config::now_rfc3339();
      stats_.last_success_unix_ms = unix_ms_now();
      if (*outcome == Outcome::kUpdated) ++stats_.polls_updated;
      if (*outcome == Outcome::kNotModified) ++stats_.polls_not_modified;
      if (*outcome == Outcome::kRejected) ++stats_.polls_rejected;
    }
    if (failed_before > 0)
      log::info("CDN {} answered again after {} failed polls", url, failed_before);
    cycle->done(*outcome);
  });
}

void ManagedPoller::add_identity_headers(net::HttpHeaders& headers) const {
  const RouterIdentity& me = router_identity();
  headers.add("X-Orbit-Router-Id", me.id);
  if (auto host = header_value(me.host, 253)) headers.add("X-Orbit-Router-Host", *host);
  if (auto version = header_value(me.orbit_version, 64))
    headers.add("X-Orbit-Router-Version", *version);
  if (std::shared_ptr<const GraphSnapshot> current = reloader_.current()) {
    if (auto version = header_value(current->config_version(), 128))
      headers.add("X-Orbit-Config-Version", *version);
  }
  int64_t seconds = std::max<int64_t>(1, (config_.managed.poll_interval.count() + 999) / 1000);
  headers.add("X-Orbit-Poll-Interval", std::to_string(std::min<int64_t>(seconds, 86'400)));
}

std::optional<ManagedPoller::Outcome> ManagedPoller::handle_answer(
    Cycle& cycle, const std::string& url, const net::HttpClientResponse& answer) {
  auto fail = [&](std::string why) -> std::optional<Outcome> {
    cycle.errors.push_back(url + ": " + why);
    return std::nullopt;
  };
  if (answer.status == 304) return Outcome::kNotModified;
  if (answer.status == 401 || answer.status == 403)
    return fail("the CDN refused the graph token (" + std::to_string(answer.status) + ": " +
                body_excerpt(answer.body) + ")");
  if (answer.status == 404)
    return fail("no config is published for " + org_ + "/" + graph_ + " (404)");
  if (answer.status != 200)
    return fail("HTTP " + std::to_string(answer.status) + " " + body_excerpt(answer.body));

  std::string etag = std::string(answer.headers.get("etag").value_or(""));
  if (etag.empty()) etag = "\"" + security::sha256_hex(answer.body) + "\"";
  if (etag == etag_) return Outcome::kNotModified;
  if (etag == rejected_etag_) return Outcome::kRejected;

  // Nothing of the body is read before its signature verified.
  constexpr std::string_view reason = "fetched from the CDN";
  std::optional<std::string_view> header = answer.headers.get(security::kSignatureHeader);
  Status verified;
  std::string signature;
  if (!header) {
    verified = Status(ErrorCode::kInvalidArgument, "unsigned artifact (no " +
                                                       std::string(security::kSignatureHeader) +
                                                       " header); refusing it");
  } else if (auto raw = security::parse_signature_header(*header); !raw.ok()) {
    verified = raw.status();
  } else {
    signature = std::move(*raw);
    verified = security::verify_artifact(answer.body, signature, keys_);
  }
  if (!verified.ok()) {
    reloader_.reject(url + ": " + verified.message(), std::string(reason));
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.signature_failures;
    }
    return fail(verified.message());
  }

  Status applied = reloader_.apply_artifact(answer.body, url, reason);
  if (!applied.ok()) {
    // Signed, so it is what was published: asking again will not help until a new version.
    rejected_etag_ = etag;
    note_error(applied.message());
    return Outcome::kRejected;
  }
  etag_ = etag;
  rejected_etag_.clear();
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.source = "cdn";
    stats_.source_url = url;
    stats_.etag = etag;
  }
  save_last_known_good(answer.body, signature, etag, url);
  return Outcome::kUpdated;
}

void ManagedPoller::save_last_known_good(const std::string& artifact, const std::string& signature,
                                         const std::string& etag, const std::string& url) {
  LastKnownGood lkg;
  lkg.org = org_;
  lkg.graph = graph_;
  lkg.artifact = artifact;
  lkg.signature = signature;
  lkg.etag = etag;
  lkg.source = url;
  lkg.saved_at = config::now_rfc3339();
  Status written = write_last_known_good(lkg_path_, lkg);
  std::lock_guard<std::mutex> lock(mu_);
  if (!written.ok()) {
    ++stats_.last_known_good_write_failures;
    log::error(
        "last-known-good config not saved: {} (the router serves on; a restart while "
        "the CDN is down would start from an older copy or none)",
        written.message());
    return;
  }
  stats_.last_known_good_saved_at = lkg.saved_at;
  log::debug("last-known-good config saved to {}", lkg_path_);
}

ManagedStats ManagedPoller::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace orbit::router
