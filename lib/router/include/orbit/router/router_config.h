// The router's config is parsed by lib/config (orbit/config/router_config.h); the router's
// code names its types from this namespace.
#pragma once

#include "orbit/config/router_config.h"

namespace orbit::router {

using config::ListenAddress;
using config::load_router_config;
using config::parse_duration;
using config::parse_listen_address;
using config::parse_router_config;
using config::RouterConfig;
using config::RouterLimits;
using config::SubgraphConfig;

}  // namespace orbit::router
