#include "orbit/router/graphql_request.h"

#include <gtest/gtest.h>

#include "../src/response_merge.h"

namespace orbit::router {
namespace {

TEST(NegotiateMediaTypeTest, AcceptHeaders) {
  EXPECT_EQ(negotiate_media_type(std::nullopt), MediaType::kJson);
  EXPECT_EQ(negotiate_media_type(""), MediaType::kJson);
  EXPECT_EQ(negotiate_media_type("application/json"), MediaType::kJson);
  EXPECT_EQ(negotiate_media_type("application/graphql-response+json"),
            MediaType::kGraphqlResponseJson);
  EXPECT_EQ(negotiate_media_type("application/graphql-response+json, application/json"),
            MediaType::kGraphqlResponseJson);
  EXPECT_EQ(negotiate_media_type("application/graphql-response+json;q=0.5, application/json"),
            MediaType::kJson);
  EXPECT_EQ(negotiate_media_type("Application/GraphQL-Response+JSON; charset=utf-8"),
            MediaType::kGraphqlResponseJson);
  EXPECT_EQ(negotiate_media_type("*/*"), MediaType::kJson);
  EXPECT_EQ(negotiate_media_type("text/html, application/*;q=0.1"), MediaType::kJson);
  EXPECT_EQ(negotiate_media_type("text/html"), std::nullopt);
  EXPECT_EQ(negotiate_media_type("application/json;q=0"), std::nullopt);
}

TEST(UrlDecodeTest, FormEncoding) {
  std::string out;
  EXPECT_TRUE(url_decode("a+b%20c%7B%7d", &out));
  EXPECT_EQ(out, "a b c{}");
  EXPECT_FALSE(url_decode("%", &out));
  EXPECT_FALSE(url_decode("%4", &out));
  EXPECT_FALSE(url_decode("%4g", &out));
}

TEST(ReadGraphqlRequestTest, EmptyOperationNameIsNotGiven) {
  Arena arena;
  net::HttpRequest r;
  r.method = "POST";
  r.target = "/graphql";
  r.headers.add("Content-Type", "application/json");
  r.body = R"({"query":"{a}","operationName":"","variables":null})";
  GraphqlHttpRequest out;
  RequestError error;
  ASSERT_TRUE(read_graphql_request(r, arena, &out, &error)) << error.message;
  EXPECT_EQ(out.query, "{a}");
  EXPECT_FALSE(out.operation_name.has_value());
  EXPECT_TRUE(out.variables.is_null());
  EXPECT_FALSE(out.is_get);
}

TEST(ReadGraphqlRequestTest, DeepJsonBodyIsRejected) {
  Arena arena;
  net::HttpRequest r;
  r.method = "POST";
  r.headers.add("Content-Type", "application/json");
  r.body = R"({"query":"{a}","variables":{"v":)" + std::string(1000, '[') + std::string(1000, ']') +
           "}}";
  GraphqlHttpRequest out;
  RequestError error;
  EXPECT_FALSE(read_graphql_request(r, arena, &out, &error));
  EXPECT_EQ(error.http_status, 400);
  EXPECT_NE(error.message.find("not valid JSON"), std::string::npos) << error.message;
}

TEST(ResponseMergeTest, ScanMembers) {
  std::vector<JsonMemberSpan> m;
  ASSERT_TRUE(scan_object_members(R"( {"a":{"x":"}"},"b":[1,[2]],"c":null ,"d":"q\"}"} )", &m));
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].key, "a");
  EXPECT_EQ(m[0].value, R"({"x":"}"})");
  EXPECT_EQ(m[1].value, "[1,[2]]");
  EXPECT_EQ(m[2].value, "null");
  EXPECT_EQ(m[3].value, R"("q\"}")");
  EXPECT_TRUE(scan_object_members("{}", &m));
  EXPECT_TRUE(m.empty());
  EXPECT_FALSE(scan_object_members("[1]", &m));
  EXPECT_FALSE(scan_object_members(R"({"a":)", &m));
  EXPECT_FALSE(scan_object_members(R"({"a":{"b":1})", &m));
}

TEST(ResponseMergeTest, MergeRootFieldsInOperationOrder) {
  EXPECT_EQ(merge_root_fields(R"({"data":{"a":1,"b":2}})",
                              R"({"__schema":{"queryType":{"name":"Query"}}})",
                              {"a", "__schema", "b"}, {}),
            R"({"data":{"a":1,"__schema":{"queryType":{"name":"Query"}},"b":2}})");
  EXPECT_EQ(merge_root_fields(R"({"data":{}})", R"({"t":null,"s":{}})", {"s", "t"}, {}),
            R"({"data":{"s":{},"t":null}})");
  // Members missing from the order list keep their place after the listed ones.
  EXPECT_EQ(merge_root_fields(R"({"data":{"x":1,"y":2}})", R"({"s":3})", {"y", "s"}, {}),
            R"({"data":{"y":2,"s":3,"x":1}})");
  EXPECT_EQ(merge_root_fields(R"({"data":null,"errors":[{"message":"x"}]})", R"({"s":1})", {"s"},
                              {R"({"message":"y"})"}),
            R"({"data":null,"errors":[{"message":"x"},{"message":"y"}]})");
  EXPECT_EQ(merge_root_fields(R"({"data":{}})", R"({"s":null})", {"s"}, {R"({"message":"y"})"}),
            R"({"data":{"s":null},"errors":[{"message":"y"}]})");
}

TEST(ResponseMergeTest, AppendExtensions) {
  std::string body = R"({"data":{}})";
  append_extensions(body, R"("queryPlan":"x")");
  EXPECT_EQ(body, R"({"data":{},"extensions":{"queryPlan":"x"}})");
}

}  // namespace
}  // namespace orbit::router
