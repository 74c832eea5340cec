#include "orbit/net/event_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include "test_util.h"

namespace orbit::net {
namespace {

using namespace std::chrono_literals;
using testing::run_on;

TEST(EventLoopTest, PostRunsTasksInOrderOnTheLoopThread) {
  EventLoop loop;
  loop.start();
  std::vector<int> order;
  std::promise<std::thread::id> where;
  for (int i = 0; i < 100; ++i)
    loop.post([&order, i] { order.push_back(i); });
  loop.post([&] {
    EXPECT_TRUE(loop.in_loop_thread());
    EXPECT_EQ(EventLoop::current(), &loop);
    where.set_value(std::this_thread::get_id());
  });
  EXPECT_NE(where.get_future().get(), std::this_thread::get_id());
  EXPECT_FALSE(loop.in_loop_thread());
  EXPECT_EQ(EventLoop::current(), nullptr);
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(order[i], i);
}

TEST(EventLoopTest, TimersFireInDeadlineOrderAndCancelledOnesDoNot) {
  EventLoop loop;
  loop.start();
  std::vector<std::string> fired;
  std::promise<void> done;
  run_on(loop, [&] {
    loop.run_after(60ms, [&] { fired.push_back("late"); });
    TimerId cancelled = loop.run_after(20ms, [&] { fired.push_back("cancelled"); });
    loop.run_after(10ms, [&] { fired.push_back("early"); });
    loop.run_after(100ms, [&] { done.set_value(); });
    EXPECT_TRUE(loop.cancel(cancelled));
    EXPECT_FALSE(loop.cancel(cancelled));
  });
  done.get_future().wait();
  EXPECT_EQ(fired, (std::vector<std::string>{"early", "late"}));
}

TEST(EventLoopTest, CancelAfterFiringReturnsFalse) {
  EventLoop loop;
  loop.start();
  std::promise<void> fired;
  TimerId id = run_on(loop, [&] { return loop.run_after(1ms, [&fired] { fired.set_value(); }); });
  fired.get_future().wait();
  EXPECT_NE(id, 0u);
  EXPECT_FALSE(run_on(loop, [&] { return loop.cancel(id); }));
}

TEST(EventLoopTest, StopDropsPendingWorkAndIsIdempotent) {
  EventLoop loop;
  loop.start();
  auto ran = std::make_shared<std::atomic<bool>>(false);
  run_on(loop, [&] { loop.run_after(10s, [ran] { *ran = true; }); });
  auto start = std::chrono::steady_clock::now();
  loop.stop();
  loop.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_FALSE(*ran);
}

TEST(LoopGroupTest, EachLoopHasItsOwnThread) {
  LoopGroup group(3);
  group.start();
  std::set<std::thread::id> threads;
  for (size_t i = 0; i < group.size(); ++i) {
    threads.insert(run_on(group.loop(i), [] { return std::this_thread::get_id(); }));
  }
  EXPECT_EQ(threads.size(), 3u);
  EXPECT_EQ(group.loops().size(), 3u);
  group.stop();
}

}  // namespace
}  // namespace orbit::net
