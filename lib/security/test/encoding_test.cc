#include "orbit/security/encoding.h"

#include <gtest/gtest.h>

#include "orbit/security/sha256.h"

namespace orbit::security {
namespace {

TEST(Encoding, Base64Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), std::optional<std::string>(plain)) << encoded;
  }
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_decode("Zm9vYg"), std::optional<std::string>("foob"));
}

TEST(Encoding, UrlAlphabetDiffersFromStandard) {
  std::string bytes = "\xfb\xff\xbf";
  EXPECT_EQ(base64_encode(bytes), "+/+/");
  EXPECT_EQ(base64url_encode(bytes), "-_-_");
  EXPECT_EQ(base64url_decode("-_-_"), std::optional<std::string>(bytes));
  EXPECT_FALSE(base64url_decode("+/+/"));
  EXPECT_FALSE(base64_decode("-_-_"));
}

TEST(Encoding, DecodersAreStrict) {
  // Every byte value round-trips.
  std::string all;
  for (int i = 0; i < 256; ++i)
    all += static_cast<char>(i);
  EXPECT_EQ(base64_decode(base64_encode(all)), std::optional<std::string>(all));
  EXPECT_EQ(base64url_decode(base64url_encode(all)), std::optional<std::string>(all));

  for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm 9v",
                          "Zh==", "Zm9=", "Zm8=Zm8=", "====", "Zg==="}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
  // Padding, a length no byte string has, non-zero unused bits.
  for (const char* bad : {"Zg==", "Zm8=", "Z", "Zh", "Zm9", "Zm9vY", "Zm.9"}) {
    EXPECT_FALSE(base64url_decode(bad)) << bad;
  }
}

TEST(Encoding, HexAndSha256) {
  EXPECT_EQ(hex_encode(std::string("\x00\x7f\x80\xff", 4)), "007f80ff");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace orbit::security
