#include "any_stream.h"

namespace orbit::net::detail {

void AnyStream::read_some(asio::mutable_buffer buffer, Handler handler) {
  if (tls_) {
    tls_->async_read_some(buffer, std::move(handler));
  } else {
    plain_.async_read_some(buffer, std::move(handler));
  }
}

void AnyStream::write_some(const WriteBuffers& buffers, Handler handler) {
  if (tls_) {
    tls_->async_write_some(buffers, std::move(handler));
  } else {
    plain_.async_write_some(buffers, std::move(handler));
  }
}

}  // namespace orbit::net::detail
