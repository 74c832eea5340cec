#include "orbit/security/revocation_list.h"

#include "orbit/security/graph_token.h"

namespace orbit::security {

Result<RevocationList> RevocationList::parse(std::string_view text, std::string_view source_name) {
  if (text.size() > kMaxRevocationFileBytes)
    return Status(ErrorCode::kLimitExceeded, std::string(source_name) + ": larger than " +
                                                 std::to_string(kMaxRevocationFileBytes) +
                                                 " bytes");
  RevocationList out;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      line.remove_prefix(1);
    if (line.empty()) continue;
    if (!is_valid_token_id(line)) {
      std::string shown(line.substr(0, 64));
      for (char& ch : shown) {
        if (ch < 0x20 || ch > 0x7e) ch = '?';
      }
      return Status(ErrorCode::kInvalidArgument,
                    std::string(source_name) + ":" + std::to_string(line_number) + ": \"" + shown +
                        "\" is not a token id (1 to 128 of A-Z a-z 0-9 . _ -)");
    }
    if (out.ids_.size() == kMaxRevokedTokens)
      return Status(ErrorCode::kLimitExceeded, std::string(source_name) + ": more than " +
                                                   std::to_string(kMaxRevokedTokens) +
                                                   " token ids");
    out.ids_.emplace(line);
  }
  return out;
}

}  // namespace orbit::security
