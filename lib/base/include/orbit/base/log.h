// Logging facade over spdlog. Thread-safe; call from any thread.
//
// Libraries log through these functions only, so that the sink (console, JSON file) is
// chosen once by the executable with log::init().
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace orbit::log {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

struct Options {
  Level level = Level::kInfo;
};

// Replaces the default logger; call once at start, before threads are started.
void init(const Options& options);
void set_level(Level level);
// Parses "trace", "debug", "info", "warn", "error", "off"; false when unknown.
bool parse_level(std::string_view text, Level* out);

template <typename... Args>
void trace(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::trace(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void debug(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::debug(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void info(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::info(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::warn(fmt, std::forward<Args>(args)...);
}
template <typename... Args>
void error(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  spdlog::error(fmt, std::forward<Args>(args)...);
}

}  // namespace orbit::log
