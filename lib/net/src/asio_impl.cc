// The one translation unit that compiles Asio, Asio SSL and Beast (separate compilation,
// docs/adr/0001); the target defines BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION for every source of lib/net.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
