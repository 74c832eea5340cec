#include "orbit/security/artifact_signature.h"

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/security/encoding.h"
#include "orbit/security/sha256.h"

namespace orbit::security {

namespace {

Status invalid(std::string_view source, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, std::string(source) + ": " + std::string(what));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool is_lower_hex(std::string_view s, size_t length) {
  if (s.size() != length) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

Result<std::string> decode_signature(std::string_view b64, std::string_view source) {
  std::optional<std::string> raw = base64_decode(b64);
  if (!raw) return invalid(source, "the signature is not valid base64");
  if (raw->size() != kEd25519SignatureBytes)
    return invalid(source, "the signature has " + std::to_string(raw->size()) +
                               " bytes, an Ed25519 signature has 64");
  return std::move(*raw);
}

}  // namespace

ArtifactSignature sign_artifact(std::string_view artifact, const Ed25519PrivateKey& key) {
  ArtifactSignature out;
  out.signature = key.sign(artifact);
  out.key_id = key.key_id();
  out.sha256_hex = sha256_hex(artifact);
  return out;
}

Status verify_artifact(std::string_view artifact, std::string_view signature,
                       const PublicKeySet& keys) {
  if (signature.size() != kEd25519SignatureBytes)
    return Status(ErrorCode::kInvalidArgument, "the signature has " +
                                                   std::to_string(signature.size()) +
                                                   " bytes, an Ed25519 signature has 64");
  if (keys.empty()) return Status(ErrorCode::kInvalidArgument, "no trusted public key");
  if (!keys.verify(artifact, signature))
    return Status(
        ErrorCode::kInvalidArgument,
        "the signature does not match the artifact for any trusted key (" + keys.key_ids() + ")");
  return {};
}

std::string write_signature_file(const ArtifactSignature& signature) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("algorithm").string("Ed25519");
  if (!signature.key_id.empty()) w.key("keyId").string(signature.key_id);
  if (!signature.sha256_hex.empty()) w.key("sha256").string(signature.sha256_hex);
  w.key("signature").string(base64_encode(signature.signature)).end_object();
  out += '\n';
  return out;
}

Result<ArtifactSignature> parse_signature_file(std::string_view text,
                                               std::string_view source_name) {
  if (text.size() > kMaxSignatureFileBytes)
    return Status(ErrorCode::kLimitExceeded, std::string(source_name) + ": larger than " +
                                                 std::to_string(kMaxSignatureFileBytes) +
                                                 " bytes; not a signature file");
  std::string_view body = trim(text);
  if (body.empty()) return invalid(source_name, "empty (expected a signature)");
  ArtifactSignature out;
  if (body.front() != '{' && body.front() != '[') {
    auto raw = decode_signature(body, source_name);
    if (!raw.ok()) return raw.status();
    out.signature = std::move(*raw);
    return out;
  }
  Arena arena;
  JsonParseOptions options;
  options.max_depth = 4;
  auto json = parse_json(body, arena, options);
  if (!json.ok()) return invalid(source_name, "not valid JSON: " + json.status().message());
  if (!json->is_object()) return invalid(source_name, "expected a JSON object");
  const JsonValue* algorithm = json->find("algorithm");
  if (algorithm == nullptr || !algorithm->is_string())
    return invalid(source_name, "algorithm: expected \"Ed25519\"");
  if (algorithm->as_string() != "Ed25519")
    return invalid(source_name, "algorithm: \"" + std::string(algorithm->as_string()) +
                                    "\" is not supported (expected \"Ed25519\")");
  if (const JsonValue* v = json->find("keyId"); v != nullptr && !v->is_null()) {
    if (!is_lower_hex(v->as_string(), 16))
      return invalid(source_name, "keyId: expected 16 lowercase hex digits");
    out.key_id = std::string(v->as_string());
  }
  if (const JsonValue* v = json->find("sha256"); v != nullptr && !v->is_null()) {
    if (!is_lower_hex(v->as_string(), 64))
      return invalid(source_name, "sha256: expected 64 lowercase hex digits");
    out.sha256_hex = std::string(v->as_string());
  }
  const JsonValue* sig = json->find("signature");
  if (sig == nullptr || !sig->is_string())
    return invalid(source_name, "signature: expected a base64 string");
  auto raw = decode_signature(sig->as_string(), source_name);
  if (!raw.ok()) return raw.status();
  out.signature = std::move(*raw);
  return out;
}

std::string signature_header_value(std::string_view signature) {
  return base64_encode(signature);
}

Result<std::string> parse_signature_header(std::string_view value) {
  return decode_signature(trim(value), kSignatureHeader);
}

}  // namespace orbit::security
