// Running a coroutine to completion from a test's plain code.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace crampbot::test {

// Runs `task` on a fresh io_context until it completes and returns its result (or rethrows its exception).
template <class T>
T run_sync(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  auto result = boost::asio::co_spawn(io, std::move(task), boost::asio::use_future);
  io.run();
  return result.get();
}

}  // namespace crampbot::test
