#include "orbit/net/event_loop.h"

#include "loop_core.h"
#include "orbit/base/assert.h"
#include "orbit/base/log.h"

namespace orbit::net {

void detail::log_warning(const std::string& message) {
  log::warn("{}", message);
}

namespace {
thread_local EventLoop* current_loop = nullptr;
}

EventLoop::EventLoop() : core_(std::make_unique<detail::LoopCore>()) {
  core_->work.emplace(core_->io.get_executor());
}

EventLoop::~EventLoop() {
  stop();
  // Handlers still queued own connections whose sockets must go before the io_context.
  core_->timers.clear();
}

void EventLoop::start() {
  ORBIT_RELEASE_ASSERT(!core_->thread.joinable());
  core_->running.store(true);
  core_->thread = std::thread([this] {
    current_loop = this;
    core_->thread_id.store(std::this_thread::get_id());
    core_->io.run();
    current_loop = nullptr;
  });
}

void EventLoop::stop() {
  ORBIT_RELEASE_ASSERT(!in_loop_thread());
  core_->work.reset();
  core_->io.stop();
  if (core_->thread.joinable()) core_->thread.join();
  core_->running.store(false);
  core_->thread_id.store(std::thread::id());
}

void EventLoop::post(std::function<void()> task) {
  asio::post(core_->io, std::move(task));
}

TimerId EventLoop::run_after(std::chrono::milliseconds delay, std::function<void()> task) {
  ORBIT_ASSERT(in_loop_thread() || !core_->thread.joinable());
  TimerId id = core_->next_timer++;
  auto timer = std::make_unique<asio::steady_timer>(core_->io, delay);
  timer->async_wait([this, id, task = std::move(task)](const error_code& ec) {
    if (ec) return;
    auto it = core_->timers.find(id);
    if (it == core_->timers.end()) return;
    core_->timers.erase(it);
    task();
  });
  core_->timers.emplace(id, std::move(timer));
  return id;
}

bool EventLoop::cancel(TimerId id) {
  ORBIT_ASSERT(in_loop_thread() || !core_->thread.joinable());
  auto it = core_->timers.find(id);
  if (it == core_->timers.end()) return false;
  core_->timers.erase(it);  // destroying a timer cancels its wait
  return true;
}

bool EventLoop::in_loop_thread() const {
  return core_->thread_id.load() == std::this_thread::get_id();
}

EventLoop* EventLoop::current() {
  return current_loop;
}

LoopGroup::LoopGroup(size_t size) {
  ORBIT_RELEASE_ASSERT(size > 0);
  loops_.reserve(size);
  for (size_t i = 0; i < size; ++i)
    loops_.push_back(std::make_unique<EventLoop>());
}

LoopGroup::~LoopGroup() {
  stop();
}

void LoopGroup::start() {
  for (auto& loop : loops_)
    loop->start();
}

void LoopGroup::stop() {
  for (auto& loop : loops_)
    loop->stop();
}

std::vector<EventLoop*> LoopGroup::loops() const {
  std::vector<EventLoop*> out;
  for (const auto& loop : loops_)
    out.push_back(loop.get());
  return out;
}

}  // namespace orbit::net
