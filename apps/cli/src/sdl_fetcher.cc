// fetch_service_sdl(): `{ _service { sdl } }` over HTTP with lib/net's client on a private
// event loop; the calling thread waits for the answer.
#include <future>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/cli/compose_command.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"

namespace orbit::cli {

Result<std::string> fetch_service_sdl(const std::string& url,
                                      const std::map<std::string, std::string>& headers,
                                      int timeout_ms) {
  net::EventLoop loop;
  loop.start();
  std::promise<Result<net::HttpClientResponse>> done;
  auto answer = done.get_future();
  std::unique_ptr<net::HttpClient> client;
  loop.post([&] {
    net::HttpClientOptions co;
    co.request_timeout = std::chrono::milliseconds(timeout_ms);
    co.max_response_bytes = 16 << 20;
    client = std::make_unique<net::HttpClient>(loop, co);
    net::HttpClientRequest req;
    req.method = "POST";
    req.url = url;
    req.body = R"({"query":"{ _service { sdl } }"})";
    req.headers.set("content-type", "application/json");
    req.headers.set("accept", "application/json");
    for (const auto& [k, v] : headers)
      req.headers.set(k, v);
    req.idempotent = true;
    client->fetch(req, [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
  });
  Result<net::HttpClientResponse> r = answer.get();
  std::promise<void> destroyed;
  loop.post([&] {
    client.reset();
    destroyed.set_value();
  });
  destroyed.get_future().wait();
  loop.stop();
  if (!r.ok()) return r.status();
  if (r->status != 200)
    return Status(ErrorCode::kUnavailable,
                  url + ": HTTP " + std::to_string(r->status) + " to { _service { sdl } }");
  Arena arena;
  auto json = parse_json(r->body, arena);
  if (!json.ok()) return Status(ErrorCode::kIo, url + ": the answer is not JSON");
  const JsonValue* data = json->find("data");
  const JsonValue* service = data ? data->find("_service") : nullptr;
  const JsonValue* sdl = service ? service->find("sdl") : nullptr;
  if (sdl == nullptr || !sdl->is_string()) {
    std::string why = "no data._service.sdl in the answer";
    if (const JsonValue* errors = json->find("errors"); errors && errors->size() > 0)
      if (const JsonValue* m = errors->items()[0].find("message"); m && m->is_string())
        why += " (" + std::string(m->as_string()) + ")";
    return Status(ErrorCode::kIo, url + ": " + why);
  }
  return std::string(sdl->as_string());
}

}  // namespace orbit::cli
