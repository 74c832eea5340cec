#include "http_io.h"

#include <array>

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace orbit::net::detail {

void async_read_header(AnyStream& stream, beast::flat_buffer& buffer, RequestParser& parser,
                       IoHandler handler) {
  http::async_read_header(stream, buffer, parser, std::move(handler));
}

void async_read_header(AnyStream& stream, beast::flat_buffer& buffer, ResponseParser& parser,
                       IoHandler handler) {
  http::async_read_header(stream, buffer, parser, std::move(handler));
}

void async_read(AnyStream& stream, beast::flat_buffer& buffer, RequestParser& parser,
                IoHandler handler) {
  http::async_read(stream, buffer, parser, std::move(handler));
}

void async_read(AnyStream& stream, beast::flat_buffer& buffer, ResponseParser& parser,
                IoHandler handler) {
  http::async_read(stream, buffer, parser, std::move(handler));
}

void async_write(AnyStream& stream, Response& response, IoHandler handler) {
  http::async_write(stream, response, std::move(handler));
}

void async_write_bytes(AnyStream& stream, asio::const_buffer bytes, IoHandler handler) {
  asio::async_write(stream, bytes, std::move(handler));
}

void async_write_bytes(AnyStream& stream, asio::const_buffer first, asio::const_buffer second,
                       IoHandler handler) {
  asio::async_write(stream, std::array<asio::const_buffer, 2>{first, second}, std::move(handler));
}

void async_handshake(AnyStream& stream, bool server, IoHandler handler) {
  stream.tls()->async_handshake(server ? ssl::stream_base::server : ssl::stream_base::client,
                                std::move(handler));
}

bool is_http_parse_error(const error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

}  // namespace orbit::net::detail
