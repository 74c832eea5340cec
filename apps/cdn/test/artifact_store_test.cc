#include "orbit/cdn/artifact_store.h"

#include <gtest/gtest.h>

#include "orbit/config/atomic_file.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/encoding.h"
#include "orbit/security/sha256.h"
#include "test_util.h"

namespace orbit::cdn {
namespace {

using testing::artifact_text;
using testing::Keys;
using testing::TempDir;
namespace fs = std::filesystem;

TEST(ArtifactStoreTest, PublishThenRead) {
  TempDir dir("store");
  Keys keys;
  std::string v1 = artifact_text("v1");
  ASSERT_TRUE(ArtifactStore::publish(dir.path().string(), "acme", "shop", v1, keys.artifact).ok());
  EXPECT_TRUE(fs::exists(dir.path() / "acme" / "shop" / "latest.json"));
  EXPECT_TRUE(fs::exists(dir.path() / "acme" / "shop" / "latest.json.sig"));
  EXPECT_EQ(testing::read_file(dir.path() / "acme" / "shop" / "latest.json"), v1);

  ArtifactStore store(dir.path().string());
  auto a = store.read("acme", "shop");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ((*a)->body, v1);
  EXPECT_EQ((*a)->etag, "\"" + security::sha256_hex(v1) + "\"");
  EXPECT_TRUE(security::verify_artifact(v1, (*a)->signature,
                                        security::PublicKeySet({keys.artifact.public_key()}))
                  .ok());
  // Unchanged files: the same object from the cache.
  EXPECT_EQ(store.read("acme", "shop")->get(), a->get());

  std::string v2 = artifact_text("v2");
  ASSERT_TRUE(ArtifactStore::publish(dir.path().string(), "acme", "shop", v2, keys.artifact).ok());
  auto b = store.read("acme", "shop");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->body, v2);
  EXPECT_NE((*b)->etag, (*a)->etag);

  EXPECT_EQ(store.read("acme", "other").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.read("nobody", "shop").status().code(), ErrorCode::kNotFound);
}

TEST(ArtifactStoreTest, SignatureOfOtherBytesServesTheLastConsistentPair) {
  TempDir dir("store-pair");
  Keys keys;
  std::string root = dir.path().string();
  std::string path = ArtifactStore::artifact_path(root, "acme", "shop");
  std::string v1 = artifact_text("v1"), v2 = artifact_text("v2");

  // A first reader that comes while the pair is inconsistent has nothing to fall back on.
  fs::create_directories(fs::path(path).parent_path());
  ASSERT_TRUE(config::write_file_atomic(path, v2).ok());
  ASSERT_TRUE(
      config::write_file_atomic(
          path + ".sig", security::write_signature_file(security::sign_artifact(v1, keys.artifact)))
          .ok());
  ArtifactStore fresh(root);
  auto none = fresh.read("acme", "shop");
  EXPECT_EQ(none.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(none.status().message().find("signs other bytes"), std::string::npos);

  // A reader that saw v1 keeps serving v1 until the signature of v2 arrives.
  ASSERT_TRUE(ArtifactStore::publish(root, "acme", "shop", v1, keys.artifact).ok());
  ArtifactStore store(root);
  ASSERT_EQ((*store.read("acme", "shop"))->body, v1);
  ASSERT_TRUE(config::write_file_atomic(path, v2).ok());  // the publish's first rename
  EXPECT_EQ((*store.read("acme", "shop"))->body, v1);
  ASSERT_TRUE(
      config::write_file_atomic(
          path + ".sig", security::write_signature_file(security::sign_artifact(v2, keys.artifact)))
          .ok());
  EXPECT_EQ((*store.read("acme", "shop"))->body, v2);
}

TEST(ArtifactStoreTest, UnsignedBareAndBadSignatureFiles) {
  TempDir dir("store-sig");
  Keys keys;
  std::string root = dir.path().string();
  std::string path = ArtifactStore::artifact_path(root, "acme", "shop");
  fs::create_directories(fs::path(path).parent_path());
  std::string v1 = artifact_text("v1");
  ASSERT_TRUE(config::write_file_atomic(path, v1).ok());
  ArtifactStore store(root);
  auto unsigned_artifact = store.read("acme", "shop");
  ASSERT_TRUE(unsigned_artifact.ok());
  EXPECT_EQ((*unsigned_artifact)->signature, "");

  // A bare base64 signature: served as it is (the CDN cannot tell whose bytes it signs).
  std::string signature = keys.artifact.sign(v1);
  ASSERT_TRUE(config::write_file_atomic(path + ".sig", security::base64_encode(signature)).ok());
  auto bare = store.read("acme", "shop");
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ((*bare)->signature, signature);

  ASSERT_TRUE(config::write_file_atomic(path + ".sig", "garbage!").ok());
  auto bad = store.read("acme", "shop");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("latest.json.sig"), std::string::npos);

  ArtifactStore small(root, 10);
  ASSERT_TRUE(config::write_file_atomic(path + ".sig", security::base64_encode(signature)).ok());
  EXPECT_EQ(small.read("acme", "shop").status().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace orbit::cdn
