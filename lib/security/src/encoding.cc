#include "orbit/security/encoding.h"

#include <array>
#include <cstdint>

namespace orbit::security {

namespace {

constexpr std::string_view kStd =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrl =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = byte(i) << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    if (pad) out += '=';
  }
  return out;
}

std::array<int8_t, 256> table(std::string_view alphabet) {
  std::array<int8_t, 256> t;
  t.fill(-1);
  for (size_t i = 0; i < alphabet.size(); ++i)
    t[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

std::optional<std::string> decode(std::string_view text, const std::array<int8_t, 256>& t,
                                  bool padded) {
  if (padded) {
    if (text.size() % 4 != 0) return std::nullopt;
    size_t pads = 0;
    while (pads < 2 && pads < text.size() && text[text.size() - 1 - pads] == '=')
      ++pads;
    text.remove_suffix(pads);
  }
  // 4n + 1 characters cannot come from any byte string.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    int8_t v = t[static_cast<uint8_t>(ch)];
    if (v < 0) return std::nullopt;
    acc = acc << 6 | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>(acc >> bits & 0xff);
    }
  }
  // The bits left over must be zero, or two texts would decode to the same bytes.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, kStd, /*pad=*/true);
}

std::optional<std::string> base64_decode(std::string_view text) {
  static const std::array<int8_t, 256> t = table(kStd);
  return decode(text, t, /*padded=*/true);
}

std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, kUrl, /*pad=*/false);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  static const std::array<int8_t, 256> t = table(kUrl);
  return decode(text, t, /*padded=*/false);
}

std::string hex_encode(std::string_view bytes) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    auto b = static_cast<uint8_t>(ch);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace orbit::security
