// Private to lib/net: the Asio declarations an event loop needs (asio.h adds sockets, TLS
// and Beast's message types for the HTTP sources). Never include this from a public header.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace orbit::net {
namespace asio = boost::asio;
using error_code = boost::system::error_code;
}  // namespace orbit::net
