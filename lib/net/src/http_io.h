// Private to lib/net: the Beast I/O operations of the server and the client, compiled once.
//
// A Beast composed operation is instantiated per (stream, message, handler) type; with a
// lambda per call site, every call site compiled its own copy of the HTTP reader or writer.
// Here each operation takes one handler type (IoHandler) and is defined in http_io.cc, so the
// server and client sources include only message types and compile in a few seconds.
#pragma once

#include <cstddef>
#include <memory>

#include "any_stream.h"
#include "asio.h"

namespace orbit::net::detail {

// A completion handler that keeps its object alive and calls one of its member functions.
// Not a lambda: one type for every call, and no allocation beyond the shared_ptr copy.
struct IoHandler {
  std::shared_ptr<void> keep;
  void* object = nullptr;
  void (*call)(void*, const error_code&, std::size_t) = nullptr;

  void operator()(const error_code& ec, std::size_t bytes) { call(object, ec, bytes); }
  void operator()(const error_code& ec) { call(object, ec, 0); }
};

// bind_io<&T::on_x>(self): IoHandler calling self->on_x(ec, bytes).
template <auto Method, typename T>
IoHandler bind_io(const std::shared_ptr<T>& self) {
  return IoHandler{self, self.get(), [](void* object, const error_code& ec, std::size_t bytes) {
                     (static_cast<T*>(object)->*Method)(ec, bytes);
                   }};
}

using RequestParser = http::request_parser<http::string_body>;
using ResponseParser = http::response_parser<http::string_body>;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

void async_read_header(AnyStream& stream, beast::flat_buffer& buffer, RequestParser& parser,
                       IoHandler handler);
void async_read_header(AnyStream& stream, beast::flat_buffer& buffer, ResponseParser& parser,
                       IoHandler handler);
void async_read(AnyStream& stream, beast::flat_buffer& buffer, RequestParser& parser,
                IoHandler handler);
void async_read(AnyStream& stream, beast::flat_buffer& buffer, ResponseParser& parser,
                IoHandler handler);
void async_write(AnyStream& stream, Response& response, IoHandler handler);
// Writes all of `bytes` (which must stay alive until the handler runs).
void async_write_bytes(AnyStream& stream, asio::const_buffer bytes, IoHandler handler);
// Writes `first` then `second`, gathered into one system call when the socket takes them.
void async_write_bytes(AnyStream& stream, asio::const_buffer first, asio::const_buffer second,
                       IoHandler handler);
// TLS handshake; the stream must have been built with a TLS context.
void async_handshake(AnyStream& stream, bool server, IoHandler handler);

// The category of Beast's HTTP parse errors.
bool is_http_parse_error(const error_code& ec);

}  // namespace orbit::net::detail
