// EventLoop: one thread running one I/O context; LoopGroup: N of them.
//
// Threading contract (docs/adr/0001): everything lib/net does for a connection happens on the
// loop that owns it, so per-loop state needs no lock.
//   - post() may be called from any thread; the task runs on the loop thread, in post order.
//   - run_after() / cancel() must be called on the loop thread (they touch per-loop state).
//   - start() / stop() are called by the owner thread, never from the loop itself.
// Lifecycle: construct, start(), use, stop() (joins the thread; tasks not yet run are
// destroyed, not run). Everything bound to a loop (HttpServer, HttpClient) must be destroyed
// before the loop is.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace orbit::net {

namespace detail {
struct LoopCore;
}

// Identifies a pending timer of one loop; 0 is never a valid id.
using TimerId = uint64_t;

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();  // stops and joins
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts the thread. post() before start() is fine: the task waits for the thread.
  void start();
  // Stops the loop and joins its thread. Idempotent; a stopped loop cannot be restarted.
  // Must not be called from the loop thread.
  void stop();

  void post(std::function<void()> task);
  // Runs `task` once after `delay` unless cancelled first. Loop thread only.
  TimerId run_after(std::chrono::milliseconds delay, std::function<void()> task);
  // Cancels a pending timer; false if it already ran or was cancelled. Loop thread only.
  bool cancel(TimerId id);

  bool in_loop_thread() const;
  // The loop running on the calling thread, or nullptr.
  static EventLoop* current();

  // lib/net internals reach the I/O context through this.
  detail::LoopCore& core() { return *core_; }

 private:
  std::unique_ptr<detail::LoopCore> core_;
};

// N loops started and stopped together; the router runs one per core.
class LoopGroup {
 public:
  explicit LoopGroup(size_t size);
  ~LoopGroup();
  LoopGroup(const LoopGroup&) = delete;
  LoopGroup& operator=(const LoopGroup&) = delete;

  void start();
  void stop();

  size_t size() const { return loops_.size(); }
  EventLoop& loop(size_t index) { return *loops_[index]; }
  std::vector<EventLoop*> loops() const;

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;
};

}  // namespace orbit::net
