// Private to lib/net: a TCP socket, optionally wrapped in TLS, as one Beast stream type.
//
// Beast's composed operations are templates over the stream and the handler. Routing plain
// and TLS through one type, and erasing the handler type at this boundary, makes every HTTP
// read or write operation use the same two socket operations (compiled in any_stream.cc)
// instead of instantiating the TLS machinery inside each of them. The price is one small
// allocation per socket operation.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/container/static_vector.hpp>
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

  using Handler = asio::any_completion_handler<void(error_code, std::size_t)>;
  // Gather writes take at most this many buffers per call (a partial write is legal).
  using WriteBuffers = boost::container::static_vector<asio::const_buffer, 16>;

  // Reads into the first buffer only: a short read is legal for read_some, and Beast reads
  // into one contiguous buffer anyway.
  template <typename Buffers, typename H>
  void async_read_some(const Buffers& buffers, H&& handler) {
    asio::mutable_buffer first;
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      first = *it;
      if (first.size() > 0) break;
    }
    read_some(first, Handler(std::forward<H>(handler)));
  }
  template <typename Buffers, typename H>
  void async_write_some(const Buffers& buffers, H&& handler) {
    WriteBuffers list;
    for (auto it = asio::buffer_sequence_begin(buffers);
         it != asio::buffer_sequence_end(buffers) && list.size() < list.capacity(); ++it) {
      asio::const_buffer b = *it;
      if (b.size() > 0) list.push_back(b);
    }
    write_some(list, Handler(std::forward<H>(handler)));
  }
  void read_some(asio::mutable_buffer buffer, Handler handler);
  void write_some(const WriteBuffers& buffers, Handler handler);

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
