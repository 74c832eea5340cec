// Loading real supergraphs (composed by @apollo/composition 2.14 and by the Federation 1
// composer, see data/compose.js) and hand-written ones; checks the extracted metadata.
#include "orbit/federation/supergraph.h"

#include <gtest/gtest.h>

#include "orbit/graphql/printer.h"
#include "test_util.h"

namespace orbit::federation {
namespace {

using testing::errors_text;
using testing::read_data;

std::unique_ptr<Supergraph> load_fixture(const std::string& name) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(read_data("supergraphs/" + name + ".graphql"), errors);
  EXPECT_NE(sg, nullptr) << errors_text(errors);
  EXPECT_FALSE(errors.has_errors()) << errors_text(errors);
  return sg;
}

uint32_t graph_index(const Supergraph& sg, std::string_view name) {
  const Subgraph* s = sg.subgraph(name);
  EXPECT_NE(s, nullptr) << name;
  return s == nullptr ? 0 : s->index;
}

GraphMask mask(const Supergraph& sg, std::initializer_list<std::string_view> names) {
  GraphMask m = 0;
  for (auto n : names)
    m |= graph_bit(graph_index(sg, n));
  return m;
}

std::string printed(const FieldSet* fs) {
  return fs == nullptr ? "<none>" : graphql::print(*fs->selection_set);
}

TEST(SupergraphTest, ShopSubgraphs) {
  auto sg = load_fixture("shop");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->join_version(), (FeatureVersion{0, 3}));
  EXPECT_FALSE(sg->is_fed1());
  ASSERT_EQ(sg->subgraphs().size(), 4u);
  const Subgraph& accounts = sg->subgraphs()[0];
  EXPECT_EQ(accounts.index, 0u);
  EXPECT_EQ(accounts.name, "accounts");
  EXPECT_EQ(accounts.enum_value, "ACCOUNTS");
  EXPECT_EQ(accounts.url, "http://accounts.local/graphql");
  EXPECT_EQ(sg->subgraph_by_enum_value("REVIEWS")->name, "reviews");
  EXPECT_EQ(sg->subgraph("nope"), nullptr);
  EXPECT_EQ(sg->all_graphs(), GraphMask{0b1111});
  EXPECT_EQ(sg->inaccessible_directive(), "inaccessible");
  EXPECT_EQ(sg->tag_directive(), "tag");
}

TEST(SupergraphTest, ShopKeys) {
  auto sg = load_fixture("shop");
  ASSERT_NE(sg, nullptr);
  const TypeInfo* product = sg->type_info("Product");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->type, sg->schema().type("Product"));
  EXPECT_EQ(product->graphs, mask(*sg, {"inventory", "products", "reviews"}));
  EXPECT_TRUE(product->is_entity());
  ASSERT_EQ(product->keys.size(), 4u);
  // Composite and nested key, in the subgraph that declared it.
  const Key& nested = product->keys[2];
  EXPECT_EQ(nested.graph, graph_index(*sg, "products"));
  EXPECT_EQ(nested.fields.text, "sku variation { id }");
  EXPECT_EQ(printed(&nested.fields), "{\n  sku\n  variation {\n    id\n  }\n}");
  EXPECT_EQ(nested.fields.parent, product->type);
  EXPECT_EQ(product->keys_in(graph_index(*sg, "products")).size(), 2u);
  EXPECT_EQ(product->keys_in(graph_index(*sg, "accounts")).size(), 0u);

  // resolvable: false keys: the entity is referenced, never fetched, there.
  const TypeInfo* warehouse = sg->type_info("Warehouse");
  ASSERT_NE(warehouse, nullptr);
  EXPECT_EQ(warehouse->key_graphs, mask(*sg, {"inventory", "reviews"}));
  EXPECT_EQ(warehouse->resolvable_key_graphs, GraphMask{0});
  EXPECT_TRUE(warehouse->keys_in(graph_index(*sg, "reviews")).empty());
  EXPECT_EQ(warehouse->keys_in(graph_index(*sg, "reviews"), false).size(), 1u);

  const TypeInfo* user = sg->type_info("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->keys_in(graph_index(*sg, "accounts")).size(), 2u);
  EXPECT_EQ(user->resolvable_key_graphs, mask(*sg, {"accounts", "reviews"}));

  // A value type: shared, no keys.
  const TypeInfo* money = sg->type_info("Money");
  ASSERT_NE(money, nullptr);
  EXPECT_TRUE(money->is_value_type());
  EXPECT_EQ(money->graphs, mask(*sg, {"inventory", "products"}));
  // Machinery has no metadata.
  EXPECT_EQ(sg->type_info("join__Graph"), nullptr);
  EXPECT_EQ(sg->type_info("link__Purpose"), nullptr);
}

TEST(SupergraphTest, ShopFields) {
  auto sg = load_fixture("shop");
  ASSERT_NE(sg, nullptr);
  uint32_t inventory = graph_index(*sg, "inventory");
  uint32_t products = graph_index(*sg, "products");
  uint32_t reviews = graph_index(*sg, "reviews");

  // Implicit: no @join__field, so every subgraph of the type has it.
  const FieldInfo* upc = sg->field_info("Product", "upc");
  ASSERT_NE(upc, nullptr);
  EXPECT_TRUE(upc->implicit);
  EXPECT_EQ(upc->resolvable_graphs, mask(*sg, {"inventory", "products", "reviews"}));
  EXPECT_EQ(upc->in_graphs.size(), 3u);

  // External in inventory, owned by products.
  const FieldInfo* weight = sg->field_info("Product", "weight");
  ASSERT_NE(weight, nullptr);
  EXPECT_FALSE(weight->implicit);
  EXPECT_EQ(weight->graphs, mask(*sg, {"inventory", "products"}));
  EXPECT_EQ(weight->external_graphs, mask(*sg, {"inventory"}));
  EXPECT_EQ(weight->resolvable_graphs, mask(*sg, {"products"}));
  EXPECT_TRUE(weight->in_graph(inventory)->external);
  EXPECT_FALSE(weight->resolvable_in(inventory));

  // @requires, parsed against the parent type.
  const FieldInfo* estimate = sg->field_info("Product", "shippingEstimate");
  ASSERT_NE(estimate, nullptr);
  const FieldInGraph* est = estimate->in_graph(inventory);
  ASSERT_NE(est, nullptr);
  ASSERT_NE(est->requires_fields, nullptr);
  EXPECT_EQ(est->requires_fields->text, "price { amount } weight");
  EXPECT_EQ(est->requires_fields->parent, sg->schema().type("Product"));
  EXPECT_EQ(graphql::print_minified(*est->requires_fields->selection_set), "{price{amount}weight}");
  EXPECT_EQ(estimate->in_graph(products), nullptr);

  // @provides, parsed against the field's type.
  const FieldInfo* author = sg->field_info("Review", "author");
  ASSERT_NE(author, nullptr);
  const FieldInGraph* a = author->in_graph(reviews);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(a->provides_fields, nullptr);
  EXPECT_EQ(a->provides_fields->parent, sg->schema().type("User"));
  EXPECT_EQ(printed(a->provides_fields), "{\n  username\n}");
  EXPECT_EQ(sg->field_info("User", "username")->external_graphs, mask(*sg, {"reviews"}));

  // @override(from: "reviews"): only accounts declares it now.
  const FieldInfo* nickname = sg->field_info("User", "nickname");
  ASSERT_NE(nickname, nullptr);
  EXPECT_EQ(nickname->resolvable_graphs, mask(*sg, {"accounts"}));
  const FieldInGraph* nick = nickname->in_graph(graph_index(*sg, "accounts"));
  EXPECT_EQ(nick->override_from, "reviews");
  EXPECT_EQ(nick->override_from_graph, static_cast<int>(reviews));
  EXPECT_TRUE(nick->override_label.empty());

  // Field type in the subgraph defaults to the supergraph type.
  EXPECT_EQ(nick->type, nickname->field->type);

  // Lookup by pointer agrees with lookup by name.
  const graphql::TypeDef* product = sg->schema().type("Product");
  EXPECT_EQ(sg->field_info(product, product->field("weight")), weight);
  EXPECT_EQ(sg->field_info(product, sg->schema().type("User")->field("id")), nullptr);
  EXPECT_EQ(sg->field_info(product, sg->schema().field_def(product, "__typename")), nullptr);

  // @inaccessible and @tag are kept as metadata.
  EXPECT_TRUE(sg->field_info("Product", "cost")->inaccessible);
  const FieldInfo* top = sg->field_info("Query", "topProducts");
  ASSERT_EQ(top->tags.size(), 1u);
  EXPECT_EQ(top->tags[0], "public");
  EXPECT_FALSE(top->inaccessible);

  // Enum values per subgraph.
  const TypeInfo* currency = sg->type_info("Currency");
  ASSERT_EQ(currency->enum_value_graphs.size(), 3u);
  EXPECT_EQ(currency->enum_value_graphs[2], mask(*sg, {"inventory", "products"}));
}

TEST(SupergraphTest, AbstractTypes) {
  auto sg = load_fixture("abstract");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->join_version(), (FeatureVersion{0, 4}));
  uint32_t media = graph_index(*sg, "media");
  uint32_t ratings = graph_index(*sg, "ratings");
  const graphql::Schema& s = sg->schema();

  // @interfaceObject: an interface in the supergraph, an object type in ratings.
  const TypeInfo* media_type = sg->type_info("Media");
  ASSERT_NE(media_type, nullptr);
  EXPECT_EQ(media_type->interface_object_graphs, graph_bit(ratings));
  EXPECT_TRUE(media_type->in_graph(ratings)->interface_object);
  EXPECT_FALSE(media_type->in_graph(media)->interface_object);
  EXPECT_EQ(media_type->resolvable_key_graphs, mask(*sg, {"media", "ratings"}));
  EXPECT_EQ(sg->field_info("Media", "rating")->resolvable_graphs, graph_bit(ratings));

  // @join__field without graph: in no subgraph directly (reached through the interface object).
  const FieldInfo* book_rating = sg->field_info("Book", "rating");
  ASSERT_NE(book_rating, nullptr);
  EXPECT_FALSE(book_rating->implicit);
  EXPECT_EQ(book_rating->graphs, GraphMask{0});
  EXPECT_TRUE(book_rating->in_graphs.empty());

  // Implementations per subgraph.
  const TypeInfo* book = sg->type_info("Book");
  ASSERT_EQ(book->implements.size(), 2u);
  EXPECT_EQ(book->implements[1].type, s.type("Media"));
  EXPECT_EQ(book->implements[1].graphs, graph_bit(media));
  EXPECT_EQ(sg->possible_type_graphs(s.type("Media"), s.type("Book")), graph_bit(media));
  EXPECT_EQ(sg->possible_type_graphs(s.type("Node"), s.type("Podcast")), GraphMask{0});
  EXPECT_EQ(sg->possible_type_graphs(s.type("Book"), s.type("Book")), graph_bit(media));

  // Union members per subgraph (@join__unionMember).
  EXPECT_EQ(sg->possible_type_graphs(s.type("SearchResult"), s.type("Magazine")),
            graph_bit(ratings));
  EXPECT_EQ(sg->possible_type_graphs(s.type("SearchResult"), s.type("Movie")), graph_bit(media));
  EXPECT_EQ(sg->type_info("SearchResult")->possible.size(), 4u);

  // Progressive override.
  const FieldInfo* name = sg->field_info("Studio", "name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->resolvable_graphs, mask(*sg, {"media", "ratings"}));
  EXPECT_EQ(name->in_graph(ratings)->override_from, "media");
  EXPECT_EQ(name->in_graph(ratings)->override_label, "percent(25)");
  EXPECT_EQ(name->in_graph(media)->override_label, "percent(25)");
  EXPECT_EQ(sg->field_info("Studio", "city")->resolvable_graphs, graph_bit(ratings));

  // Enum values only some subgraphs know.
  const TypeInfo* genre = sg->type_info("Genre");
  ASSERT_EQ(genre->enum_value_graphs.size(), 3u);
  EXPECT_EQ(genre->enum_value_graphs[2], graph_bit(ratings));
  EXPECT_EQ(genre->enum_value_graphs[0], mask(*sg, {"media", "ratings"}));

  EXPECT_TRUE(sg->type_info("Podcast")->inaccessible);
  EXPECT_TRUE(sg->field_info("Movie", "secretBudget")->inaccessible);
}

TEST(SupergraphTest, Federation1) {
  auto sg = load_fixture("fed1_shop");
  ASSERT_NE(sg, nullptr);
  EXPECT_TRUE(sg->is_fed1());
  EXPECT_TRUE(sg->features().uses_core);
  const TypeInfo* product = sg->type_info("Product");
  ASSERT_NE(product, nullptr);
  EXPECT_EQ(product->owner_graph, static_cast<int>(graph_index(*sg, "products")));
  EXPECT_EQ(product->graphs, mask(*sg, {"products", "inventory", "reviews"}));
  EXPECT_EQ(product->keys.size(), 4u);
  // In v1 supergraphs the requires field set names fields of the owner.
  const FieldInfo* estimate = sg->field_info("Product", "shippingEstimate");
  ASSERT_NE(estimate, nullptr);
  ASSERT_NE(estimate->in_graph(graph_index(*sg, "inventory"))->requires_fields, nullptr);
  EXPECT_EQ(estimate->in_graph(graph_index(*sg, "inventory"))->requires_fields->text,
            "price weight");
  // Query has no @join__type: a value type of every subgraph; its fields name their graph.
  EXPECT_EQ(sg->type_info("Query")->graphs, sg->all_graphs());
  EXPECT_EQ(sg->field_info("Query", "me")->resolvable_graphs, mask(*sg, {"accounts"}));
  // Implements/possible types derived from membership in v0.1.
  EXPECT_EQ(sg->field_info("Review", "author")
                ->in_graph(graph_index(*sg, "reviews"))
                ->provides_fields->text,
            "username");
}

TEST(SupergraphTest, RenamedFeatures) {
  auto sg = load_fixture("renamed");
  ASSERT_NE(sg, nullptr);
  EXPECT_EQ(sg->join_version(), (FeatureVersion{0, 5}));
  EXPECT_EQ(sg->inaccessible_directive(), "hidden");
  EXPECT_EQ(sg->tag_directive(), "label");
  ASSERT_EQ(sg->subgraphs().size(), 2u);
  EXPECT_EQ(sg->subgraphs()[1].name, "orders");
  EXPECT_EQ(sg->subgraphs()[1].url, "http://orders:4002/graphql");
  const TypeInfo* user = sg->type_info("User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->resolvable_key_graphs, graph_bit(0));
  EXPECT_EQ(user->key_graphs, GraphMask{0b11});
  EXPECT_TRUE(sg->field_info("User", "email")->inaccessible);
  EXPECT_EQ(sg->field_info("RootQuery", "orders")->tags.size(), 1u);
  // `type:` gives the field's type in that subgraph.
  const FieldInGraph* total = sg->field_info("Order", "total")->in_graph(1);
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->type->to_string(), "Float!");
  // @join__directive kept as data.
  ASSERT_EQ(sg->join_directives().size(), 1u);
  const JoinDirective& jd = sg->join_directives()[0];
  EXPECT_EQ(jd.name, "cacheControl");
  EXPECT_EQ(jd.graphs, graph_bit(0));
  EXPECT_EQ(jd.type, sg->schema().type("User"));
  EXPECT_EQ(jd.field, nullptr);
  ASSERT_NE(jd.args, nullptr);
  EXPECT_EQ(graphql::print(*jd.args), "{ maxAge: 60 }");
  // Features resolved with their names in the schema.
  const LinkedFeature* join = sg->features().by_identity(kJoinIdentity);
  ASSERT_NE(join, nullptr);
  EXPECT_EQ(join->name_in_schema, "j");
  EXPECT_EQ(join->directive_name("type"), "j__type");
  EXPECT_EQ(join->type_name("Graph"), "j__Graph");
  EXPECT_TRUE(sg->features().owner_of("hidden", true) != nullptr);
  EXPECT_TRUE(sg->features().owner_of("lnk__Purpose", false) != nullptr);
  EXPECT_EQ(sg->features().owner_of("User", false), nullptr);
}

TEST(SupergraphTest, MetadataPointsIntoTheSchema) {
  auto sg = load_fixture("shop");
  ASSERT_NE(sg, nullptr);
  // Every object/interface field of a non-machinery type has metadata, and every key field
  // set selects existing fields.
  for (const graphql::TypeDef* t : sg->schema().types()) {
    if (t->builtin || sg->features().owner_of(t->name, false) != nullptr) continue;
    const TypeInfo* info = sg->type_info(t);
    ASSERT_NE(info, nullptr) << t->name;
    EXPECT_NE(info->graphs, GraphMask{0}) << t->name;
    for (const graphql::FieldDef& f : t->fields) {
      const FieldInfo* fi = sg->field_info(t, &f);
      ASSERT_NE(fi, nullptr) << t->name << "." << f.name;
      EXPECT_EQ(fi->field, &f);
      EXPECT_EQ(fi->parent, t);
      EXPECT_EQ(fi->graphs & ~info->graphs, GraphMask{0}) << t->name << "." << f.name;
    }
  }
}

// The Guild's composer writes the same federation metadata as Apollo's, in another order.
class ComposerAgreementTest : public ::testing::TestWithParam<std::string> {};

std::string names(const Supergraph& sg, GraphMask m) {
  std::string out;
  for_each_graph(m, [&](uint32_t g) { out += std::string(sg.subgraphs()[g].name) + ","; });
  return out;
}

TEST_P(ComposerAgreementTest, SameMetadata) {
  auto apollo = load_fixture(GetParam());
  auto guild = load_fixture(GetParam() + "_guild");
  ASSERT_NE(apollo, nullptr);
  ASSERT_NE(guild, nullptr);
  for (const graphql::TypeDef* t : apollo->schema().types()) {
    const TypeInfo* a = apollo->type_info(t);
    if (a == nullptr) continue;
    const TypeInfo* g = guild->type_info(t->name);
    ASSERT_NE(g, nullptr) << t->name;
    EXPECT_EQ(names(*apollo, a->graphs), names(*guild, g->graphs)) << t->name;
    EXPECT_EQ(names(*apollo, a->resolvable_key_graphs), names(*guild, g->resolvable_key_graphs))
        << t->name;
    EXPECT_EQ(a->keys.size(), g->keys.size()) << t->name;
    for (const graphql::FieldDef& f : t->fields) {
      const FieldInfo* af = apollo->field_info(t, &f);
      const FieldInfo* gf = guild->field_info(t->name, f.name);
      ASSERT_NE(gf, nullptr) << t->name << "." << f.name;
      EXPECT_EQ(names(*apollo, af->resolvable_graphs), names(*guild, gf->resolvable_graphs))
          << t->name << "." << f.name;
      EXPECT_EQ(names(*apollo, af->external_graphs), names(*guild, gf->external_graphs))
          << t->name << "." << f.name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ComposerAgreementTest, ::testing::Values("shop", "abstract"));

}  // namespace
}  // namespace orbit::federation
