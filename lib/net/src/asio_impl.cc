// Asio and Asio SSL, compiled once (separate compilation, docs/adr/0001): the target defines
// BOOST_ASIO_SEPARATE_COMPILATION for every source of lib/net. Beast is in beast_impl.cc, so
// that the two halves build in parallel.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
