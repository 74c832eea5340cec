// Private to lib/net: what an EventLoop is made of, for the server and client internals.
#pragma once

#include <atomic>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "asio_core.h"
#include "orbit/net/event_loop.h"

namespace orbit::net::detail {

struct LoopCore {
  asio::io_context io{1};  // one thread runs it: Asio may skip internal locking
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
  std::atomic<std::thread::id> thread_id{};
  std::atomic<bool> running{false};  // between start() and stop()
  TimerId next_timer = 1;
  std::unordered_map<TimerId, std::unique_ptr<asio::steady_timer>> timers;
};

inline asio::io_context& io_of(EventLoop& loop) {
  return loop.core().io;
}

// Runs `fn` on the loop and waits; runs it right here when the loop thread is not running
// (nothing else can touch the loop's objects then). Not from the loop thread itself.
template <typename Fn>
void run_and_wait(EventLoop& loop, Fn fn) {
  if (!loop.core().running.load()) return fn();
  std::promise<void> done;
  auto future = done.get_future();
  loop.post([&] {
    fn();
    done.set_value();
  });
  future.wait();
}

// Logs a warning. Not a template: formatting is instantiated once, in event_loop.cc, rather
// than in every Asio-heavy source of lib/net.
void log_warning(const std::string& message);

}  // namespace orbit::net::detail
