#include "orbit/net/url.h"

#include <gtest/gtest.h>

namespace orbit::net {
namespace {

TEST(UrlTest, ParsesHostPortAndTarget) {
  auto url = parse_url("http://localhost:4001/graphql?x=1#frag");
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->host, "localhost");
  EXPECT_EQ(url->port, 4001);
  EXPECT_EQ(url->target, "/graphql?x=1");
  EXPECT_EQ(url->origin, "http://localhost:4001");
  EXPECT_EQ(url->host_header, "localhost:4001");
}

TEST(UrlTest, DefaultsPortAndPath) {
  auto url = parse_url("HTTPS://cdn.example.com");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/");
  EXPECT_EQ(url->host_header, "cdn.example.com");
  EXPECT_EQ(url->origin, "https://cdn.example.com:443");
  auto query_only = parse_url("http://a?q=1");
  ASSERT_TRUE(query_only.ok());
  EXPECT_EQ(query_only->target, "/?q=1");
}

TEST(UrlTest, Ipv6Literal) {
  auto url = parse_url("http://[::1]:8080/x");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->host_header, "[::1]:8080");
}

TEST(UrlTest, RejectsWhatCannotBeSentSafely) {
  for (const char* bad : {"ftp://a/", "http://", "http://:80/", "http://a:0/", "http://a:65536/",
                          "http://a:x/", "http://user@a/", "http://a/ b", "http://a/\r\nX: y",
                          "http://[::1/", "http://a b/", "localhost:80"}) {
    auto url = parse_url(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(url.status().message().find("invalid URL"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace orbit::net
