// BlockingQueue: FIFO hand-over between threads; close() lets consumers drain and stop.
#include "kubeblame/pipeline/blocking_queue.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace kubeblame::pipeline {
namespace {

TEST_CASE("BlockingQueue is FIFO and drains after close", "[pipeline]") {
  BlockingQueue<int> queue;
  queue.push(1);
  queue.push(2);
  queue.push(3);
  queue.close();
  CHECK(queue.pop() == 1);
  CHECK(queue.pop() == 2);
  CHECK(queue.pop() == 3);
  CHECK_FALSE(queue.pop().has_value());
  CHECK_FALSE(queue.pop().has_value());
}

TEST_CASE("BlockingQueue hands every item to exactly one consumer", "[pipeline]") {
  BlockingQueue<std::unique_ptr<int>> queue;
  std::atomic<long> sum{0};
  std::atomic<int> count{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < 4; ++c) {
    consumers.emplace_back([&] {
      while (auto item = queue.pop()) {
        sum += **item;
        ++count;
      }
    });
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 1; i <= 1000; ++i) queue.push(std::make_unique<int>(p * 1000 + i));
    });
  }
  for (std::thread& t : producers) t.join();
  queue.close();
  for (std::thread& t : consumers) t.join();
  CHECK(count == 3000);
  CHECK(sum == 3000L * 3001L / 2);
}

}  // namespace
}  // namespace kubeblame::pipeline
