// Accounts against both backends: Argon2id hashes, the first admin created once, sign-in with
// a password or an API key (one message for an unknown email and a wrong password), sessions
// stored only as hashes that end when idle, when too old, at sign-out, when their user or key
// is deleted or the password changes elsewhere; users managed by admins of their own
// organization only, never the last admin removed; the audit log's records newest first.
#include <gtest/gtest.h>

#include "backends.h"
#include "orbit/registry/accounts.h"
#include "orbit/registry/password.h"
#include "orbit/security/sha256.h"

namespace orbit::registry {
namespace {

using testing::BackendTest;

constexpr int64_t kT0 = 1'800'000'000;
constexpr const char* kPassword = "correct horse battery";

TEST(PasswordTest, HashesAreArgon2idSaltedAndVerify) {
  auto a = hash_password(kPassword);
  auto b = hash_password(kPassword);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *a;
  EXPECT_NE(*a, *b);  // a new salt each time
  EXPECT_TRUE(verify_password(*a, kPassword));
  EXPECT_TRUE(verify_password(*b, kPassword));
  EXPECT_FALSE(verify_password(*a, "correct horse battery!"));
  EXPECT_FALSE(verify_password(*a, ""));
  EXPECT_FALSE(verify_password("not a hash", kPassword));
  EXPECT_FALSE(verify_password("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", kPassword));
}

TEST(PasswordTest, LengthRules) {
  EXPECT_FALSE(check_password("short").ok());
  EXPECT_FALSE(check_password("elevenchars").ok());
  EXPECT_TRUE(check_password("twelve chars").ok());
  // Characters, not bytes: twelve two-byte characters pass, eleven do not.
  EXPECT_TRUE(check_password("éééééééééééé").ok());
  EXPECT_FALSE(check_password("ééééééééééé").ok());
  EXPECT_FALSE(check_password(std::string(1025, 'x')).ok());
  EXPECT_EQ(random_password().size(), 24u);
}

TEST(EmailTest, Normalized) {
  EXPECT_EQ(*Accounts::normalize_email("Admin@Orbit.Local"), "admin@orbit.local");
  for (const char* bad : {"", "no-at", "@x", "x@", "a@b@c", "a b@c", "a@b\n", "<a@b>"})
    EXPECT_FALSE(Accounts::normalize_email(bad).ok()) << bad;
  EXPECT_FALSE(Accounts::normalize_email(std::string(250, 'a') + "@b.cd").ok());
}

class AccountsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    auto store = open();
    ASSERT_TRUE(store);
    std::filesystem::create_directories(dir_ / "cdn");
    RegistryOptions options;
    options.cdn_storage = (dir_ / "cdn").string();
    registry_ =
        std::make_unique<Registry>(std::move(store), *security::Ed25519PrivateKey::generate(),
                                   *security::Ed25519PrivateKey::generate(), options);
    auto secret = registry_->bootstrap("acme", "");
    ASSERT_TRUE(secret.ok());
    key_secret_ = *secret;
    policy_.idle_seconds = 600;
    policy_.absolute_seconds = 3600;
    accounts_ = std::make_unique<Accounts>(*registry_, policy_);
    auto admin = accounts_->ensure_first_admin("admin@acme.test", kPassword);
    ASSERT_TRUE(admin.ok()) << admin.error().message;
    ASSERT_TRUE(admin->created);
    auto in = accounts_->sign_in("admin@acme.test", kPassword, kT0);
    ASSERT_TRUE(in.ok()) << in.error().message;
    admin_ = in->caller;
  }

  Caller sign_in(const std::string& email, const std::string& password = kPassword) {
    auto in = accounts_->sign_in(email, password, kT0);
    EXPECT_TRUE(in.ok()) << email << ": " << (in.ok() ? "" : in.error().message);
    return in.ok() ? in->caller : Caller{};
  }

  std::string key_secret_;
  SessionPolicy policy_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Accounts> accounts_;
  Caller admin_;
};

TEST_P(AccountsTest, FirstAdminIsCreatedOnceWithAGeneratedPasswordWhenNoneIsGiven) {
  // The organization has a user now: nothing happens, whatever is asked.
  auto again = accounts_->ensure_first_admin("other@acme.test", "");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_TRUE(again->generated_password.empty());
  EXPECT_FALSE(registry_->store().find_user_by_email("other@acme.test")->has_value());
  EXPECT_EQ(*registry_->store().count_users(admin_.organization.id), 1);

  // A fresh database: a random password, returned to be printed once, that signs in.
  auto store = Store::open((dir_ / "fresh.db").string());
  ASSERT_TRUE(store.ok());
  Registry fresh(std::move(*store), *security::Ed25519PrivateKey::generate(),
                 *security::Ed25519PrivateKey::generate(), registry_->options());
  ASSERT_TRUE(fresh.bootstrap("default", "").ok());
  Accounts accounts(fresh, policy_);
  auto admin = accounts.ensure_first_admin("Admin@Orbit.Local", "");
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->created);
  EXPECT_EQ(admin->email, "admin@orbit.local");
  ASSERT_EQ(admin->generated_password.size(), 24u);
  EXPECT_TRUE(accounts.sign_in("admin@orbit.local", admin->generated_password, kT0).ok());
  EXPECT_FALSE(accounts.ensure_first_admin("admin@orbit.local", "")->created);
  // A given password that breaks the rules stops the start with a precise message.
  auto bad = accounts.ensure_first_admin("x@y.z", "short");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("ORBIT_ADMIN_PASSWORD"), std::string::npos);
}

TEST_P(AccountsTest, SignInRefusesUnknownEmailAndWrongPasswordAlike) {
  auto wrong = accounts_->sign_in("admin@acme.test", "wrong password!", kT0);
  auto unknown = accounts_->sign_in("nobody@acme.test", kPassword, kT0);
  auto malformed = accounts_->sign_in("not an email", kPassword, kT0);
  for (const auto* r : {&wrong, &unknown, &malformed}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error().code, ApiCode::kUnauthenticated);
    EXPECT_EQ(r->error().message, wrong.error().message);
  }
  // Emails compare case-insensitively.
  EXPECT_TRUE(accounts_->sign_in("ADMIN@acme.test", kPassword, kT0).ok());
  auto user = registry_->store().find_user_by_email("admin@acme.test");
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_FALSE((*user)->last_login_at.empty());
  // The stored hash is Argon2id, never the password.
  EXPECT_EQ((*user)->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ((*user)->password_hash.find(kPassword), std::string::npos);
}

TEST_P(AccountsTest, SessionsAreStoredHashedAndExpireWhenIdleOrTooOld) {
  auto in = accounts_->sign_in("admin@acme.test", kPassword, kT0);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->token.size(), 43u);
  EXPECT_EQ(in->session.csrf_token.size(), 43u);
  // Only the hash is stored.
  EXPECT_FALSE(registry_->store().find_session(in->token)->has_value());
  EXPECT_TRUE(registry_->store().find_session(security::sha256_hex(in->token))->has_value());
  EXPECT_EQ(accounts_->expires_at(in->session), kT0 + 600);

  // Used every 500 s it lives on, until the absolute limit.
  int64_t t = kT0;
  for (; t + 500 < kT0 + 3600; t += 500) {
    auto who = accounts_->authenticate_session(in->token, t + 500);
    ASSERT_TRUE(who.ok()) << (t + 500 - kT0) << ": " << who.error().message;
    EXPECT_EQ(who->caller.user->email, "admin@acme.test");
    EXPECT_EQ(who->caller.key.role, Role::kAdmin);
  }
  auto too_old = accounts_->authenticate_session(in->token, kT0 + 3600);
  ASSERT_FALSE(too_old.ok());
  EXPECT_EQ(too_old.error().code, ApiCode::kUnauthenticated);
  // An expired session is gone for good.
  EXPECT_FALSE(accounts_->authenticate_session(in->token, kT0 + 1).ok());

  auto idle = accounts_->sign_in("admin@acme.test", kPassword, kT0);
  ASSERT_TRUE(idle.ok());
  EXPECT_TRUE(accounts_->authenticate_session(idle->token, kT0 + 599).ok());
  EXPECT_FALSE(accounts_->authenticate_session(idle->token, kT0 + 599 + 600).ok());

  EXPECT_FALSE(accounts_->authenticate_session("", kT0).ok());
  EXPECT_FALSE(accounts_->authenticate_session("made-up", kT0).ok());
  EXPECT_FALSE(accounts_->authenticate_session(std::string(4000, 'a'), kT0).ok());
}

TEST_P(AccountsTest, SignOutEndsTheSession) {
  auto in = accounts_->sign_in("admin@acme.test", kPassword, kT0);
  ASSERT_TRUE(in.ok());
  ASSERT_TRUE(accounts_->authenticate_session(in->token, kT0 + 1).ok());
  ASSERT_TRUE(accounts_->sign_out(in->token).ok());
  EXPECT_FALSE(accounts_->authenticate_session(in->token, kT0 + 2).ok());
}

TEST_P(AccountsTest, ApiKeySignInActsAsTheKeyAndEndsWithIt) {
  auto viewer = registry_->create_api_key(admin_, "ci", Role::kViewer);
  ASSERT_TRUE(viewer.ok());
  auto in = accounts_->sign_in_with_api_key(viewer->secret, kT0);
  ASSERT_TRUE(in.ok()) << in.error().message;
  EXPECT_FALSE(in->caller.user);
  EXPECT_EQ(in->caller.key.name, "ci");
  EXPECT_EQ(in->caller.key.role, Role::kViewer);
  EXPECT_TRUE(accounts_->authenticate_session(in->token, kT0 + 1).ok());
  EXPECT_FALSE(accounts_->sign_in_with_api_key("orbit_nope", kT0).ok());
  EXPECT_FALSE(accounts_->sign_in_with_api_key(viewer->secret + "x", kT0).ok());
  ASSERT_TRUE(registry_->delete_api_key(admin_, viewer->key.id).ok());
  EXPECT_FALSE(accounts_->authenticate_session(in->token, kT0 + 2).ok());
}

TEST_P(AccountsTest, AdminsManageTheUsersOfTheirOrganization) {
  auto dev = accounts_->create_user(admin_, "Dev@acme.test", "developer pass", Role::kDeveloper);
  ASSERT_TRUE(dev.ok()) << dev.error().message;
  EXPECT_EQ(dev->email, "dev@acme.test");
  EXPECT_EQ(
      accounts_->create_user(admin_, "dev@acme.test", "developer pass", Role::kViewer).error().code,
      ApiCode::kAlreadyExists);
  EXPECT_EQ(accounts_->create_user(admin_, "x@acme.test", "short", Role::kViewer).error().code,
            ApiCode::kInvalidArgument);
  EXPECT_EQ(accounts_->create_user(admin_, "bad email", kPassword, Role::kViewer).error().code,
            ApiCode::kInvalidArgument);

  // A developer may not manage users, but may change their own password.
  auto dev_in = accounts_->sign_in("dev@acme.test", "developer pass", kT0);
  ASSERT_TRUE(dev_in.ok());
  auto other_dev_session = accounts_->sign_in("dev@acme.test", "developer pass", kT0);
  ASSERT_TRUE(other_dev_session.ok());
  const Caller& dev_caller = dev_in->caller;
  EXPECT_EQ(accounts_->list_users(dev_caller, {}).error().code, ApiCode::kPermissionDenied);
  EXPECT_EQ(accounts_->create_user(dev_caller, "y@acme.test", kPassword, Role::kAdmin).error().code,
            ApiCode::kPermissionDenied);
  EXPECT_EQ(
      accounts_->update_user(dev_caller, dev->id, Role::kAdmin, std::nullopt, "").error().code,
      ApiCode::kPermissionDenied);
  EXPECT_EQ(accounts_
                ->update_user(dev_caller, admin_.user->id, std::nullopt,
                              std::string("new password 1"), "")
                .error()
                .code,
            ApiCode::kPermissionDenied);
  auto changed =
      accounts_->update_user(dev_caller, dev->id, std::nullopt, std::string("new password 1"),
                             dev_in->session.token_sha256);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_FALSE(accounts_->sign_in("dev@acme.test", "developer pass", kT0).ok());
  EXPECT_TRUE(accounts_->sign_in("dev@acme.test", "new password 1", kT0).ok());
  // The session that changed it lives on; the other one ended.
  EXPECT_TRUE(accounts_->authenticate_session(dev_in->token, kT0 + 1).ok());
  EXPECT_FALSE(accounts_->authenticate_session(other_dev_session->token, kT0 + 1).ok());

  // Roles, listing, deleting.
  auto demoted = accounts_->update_user(admin_, dev->id, Role::kViewer, std::nullopt, "");
  ASSERT_TRUE(demoted.ok());
  EXPECT_EQ(demoted->role, Role::kViewer);
  auto viewer_session = accounts_->authenticate_session(dev_in->token, kT0 + 2);
  ASSERT_TRUE(viewer_session.ok());
  EXPECT_EQ(viewer_session->caller.key.role, Role::kViewer);  // effective at once
  auto page = accounts_->list_users(admin_, PageRequest{1, ""});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].email, "admin@acme.test");
  auto rest = accounts_->list_users(admin_, PageRequest{1, page->next_after});
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].email, "dev@acme.test");
  EXPECT_TRUE(rest->next_after.empty());
  ASSERT_TRUE(accounts_->delete_user(admin_, dev->id).ok());
  EXPECT_FALSE(accounts_->authenticate_session(dev_in->token, kT0 + 3).ok());
  EXPECT_EQ(accounts_->delete_user(admin_, dev->id).error().code, ApiCode::kNotFound);
  EXPECT_EQ(accounts_->update_user(admin_, 999, Role::kAdmin, std::nullopt, "").error().code,
            ApiCode::kNotFound);
}

TEST_P(AccountsTest, TheLastAdminStays) {
  EXPECT_EQ(accounts_->delete_user(admin_, admin_.user->id).error().code,
            ApiCode::kFailedPrecondition);
  EXPECT_EQ(
      accounts_->update_user(admin_, admin_.user->id, Role::kViewer, std::nullopt, "").error().code,
      ApiCode::kFailedPrecondition);
  auto second = accounts_->create_user(admin_, "second@acme.test", kPassword, Role::kAdmin);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(
      accounts_->update_user(admin_, admin_.user->id, Role::kDeveloper, std::nullopt, "").ok());
  EXPECT_EQ(accounts_->delete_user(sign_in("second@acme.test"), second->id).error().code,
            ApiCode::kFailedPrecondition);
}

TEST_P(AccountsTest, OrganizationsDoNotSeeEachOthersUsers) {
  auto key_caller = registry_->authenticate("Bearer " + key_secret_);
  ASSERT_TRUE(key_caller.ok());
  auto globex = registry_->create_organization(*key_caller, "globex");
  ASSERT_TRUE(globex.ok());
  auto globex_key = registry_->authenticate("Bearer " + globex->admin_key.secret);
  ASSERT_TRUE(globex_key.ok());
  auto g = accounts_->create_user(*globex_key, "boss@globex.test", kPassword, Role::kAdmin);
  ASSERT_TRUE(g.ok()) << g.error().message;
  Caller globex_admin = sign_in("boss@globex.test");
  EXPECT_EQ(globex_admin.organization.name, "globex");
  EXPECT_FALSE(globex_admin.instance_admin);

  auto listed = accounts_->list_users(globex_admin, {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].email, "boss@globex.test");
  // acme's admin, by id, from globex: not found, not changed, not deleted.
  int64_t acme_admin = admin_.user->id;
  EXPECT_EQ(
      accounts_
          ->update_user(globex_admin, acme_admin, std::nullopt, std::string("taken over!!"), "")
          .error()
          .code,
      ApiCode::kNotFound);
  EXPECT_EQ(accounts_->delete_user(globex_admin, acme_admin).error().code, ApiCode::kNotFound);
  EXPECT_TRUE(accounts_->sign_in("admin@acme.test", kPassword, kT0).ok());
  // An email is one account across organizations.
  EXPECT_EQ(accounts_->create_user(globex_admin, "admin@acme.test", kPassword, Role::kViewer)
                .error()
                .code,
            ApiCode::kAlreadyExists);
}

TEST_P(AccountsTest, AuditEntriesAreListedNewestFirstPerOrganization) {
  Store& store = registry_->store();
  for (int i = 0; i < 3; ++i) {
    AuditEntry e;
    e.org_id = admin_.organization.id;
    e.time = "2026-11-27T00:00:0" + std::to_string(i) + ".000Z";
    e.actor_type = "user";
    e.actor_id = std::to_string(admin_.user->id);
    e.actor_name = "admin@acme.test";
    e.method = "POST";
    e.path = "/v1/namespaces";
    e.status = 201;
    e.resource = "namespaces/n" + std::to_string(i);
    e.summary = "namespace created";
    ASSERT_TRUE(store.insert_audit_entry(e).ok());
  }
  auto first = store.list_audit_entries(admin_.organization.id, PageRequest{2, ""});
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].resource, "namespaces/n2");
  EXPECT_EQ(first->items[1].resource, "namespaces/n1");
  EXPECT_EQ(first->items[0].status, 201);
  auto second = store.list_audit_entries(admin_.organization.id, PageRequest{2, first->next_after});
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].resource, "namespaces/n0");
  EXPECT_TRUE(second->next_after.empty());
  EXPECT_TRUE(store.list_audit_entries(admin_.organization.id + 1, {})->items.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace orbit::registry
