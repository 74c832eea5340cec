// Passwords of Studio users: Argon2id (libargon2), stored as the encoded string
// "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" that carries its own salt and parameters, so
// that stronger parameters later still verify the hashes stored before.
//
// Plain functions, safe on any thread. Hashing takes ~19 MiB and tens of milliseconds on
// purpose (that is what makes guessing expensive).
#pragma once

#include <string>
#include <string_view>

#include "orbit/registry/error.h"

namespace orbit::registry {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordBytes = 1024;

// INVALID_ARGUMENT when the password is shorter than 12 characters or longer than 1024 bytes.
Outcome check_password(std::string_view password);
// A new salt each call. INTERNAL only if libargon2 fails (out of memory).
Expected<std::string> hash_password(std::string_view password);
// True when `password` matches `encoded`; false for a mismatch or an encoded string that is
// not Argon2id. The comparison is libargon2's, in constant time.
bool verify_password(const std::string& encoded, std::string_view password);
// Runs a verification against a fixed hash: spends the time a real one takes, so that an
// unknown email cannot be told from a wrong password by the answer's delay.
void spend_password_verification(std::string_view password);
// A random password for the first admin: 24 characters of base64url.
std::string random_password();

}  // namespace orbit::registry
