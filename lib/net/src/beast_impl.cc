// Beast, compiled once (BOOST_BEAST_SEPARATE_COMPILATION is defined for all of lib/net).
// It includes WebSocket and Beast's zlib, which lib/net will use for subscriptions.
#include <boost/beast/src.hpp>
