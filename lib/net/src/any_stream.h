// Private to lib/net: a TCP socket, optionally wrapped in TLS, as one Beast stream type.
//
// Beast's composed operations are templates over the stream; routing plain and TLS through
// one type instantiates each of them once, which halves the compile time of lib/net.
#pragma once

#include <memory>
#include <utility>

#include "asio.h"

namespace orbit::net::detail {

class AnyStream {
 public:
  using executor_type = asio::any_io_executor;

  explicit AnyStream(tcp::socket socket) : plain_(std::move(socket)) {}
  AnyStream(tcp::socket socket, ssl::context& context)
      : plain_(socket.get_executor()),
        tls_(std::make_unique<ssl::stream<tcp::socket>>(std::move(socket), context)) {}

  executor_type get_executor() { return plain_.get_executor(); }
  tcp::socket& socket() { return tls_ ? tls_->next_layer() : plain_; }
  ssl::stream<tcp::socket>* tls() { return tls_.get(); }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_.async_read_some(buffers, std::forward<Handler>(handler));
    }
  }
  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_.async_write_some(buffers, std::forward<Handler>(handler));
    }
  }

  // Closes the socket now: pending operations complete with operation_aborted.
  void close() {
    error_code ignored;
    socket().close(ignored);
  }
  bool is_open() { return socket().is_open(); }

 private:
  tcp::socket plain_;  // the socket itself, or an unused placeholder under TLS
  std::unique_ptr<ssl::stream<tcp::socket>> tls_;
};

}  // namespace orbit::net::detail
