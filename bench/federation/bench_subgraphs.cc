#include "bench_subgraphs.h"

#include <charconv>
#include <span>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/parser.h"

namespace orbit::bench {

namespace {

using graphql::Field;
using graphql::FragmentDefinition;
using graphql::FragmentSpread;
using graphql::InlineFragment;
using graphql::Kind;
using graphql::Selection;
using graphql::SelectionSet;

// ---- the data ------------------------------------------------------------------------------

struct UserRow {
  std::string_view id, name, username;
  int birthday;
};
struct ProductRow {
  std::string_view upc, name;
  int price, weight;
  bool in_stock;
};
struct ReviewRow {
  std::string_view id;
  int author;   // index into kUsers
  int product;  // index into kProducts
};

constexpr UserRow kUsers[] = {
    {"1", "Mara Quinlan", "mquinlan", 519868800},
    {"2", "Tobias Renn", "trenn", 634089600},
    {"3", "Ines Alvarado", "ialvarado", 724550400},
    {"4", "Kofi Mensah", "kmensah", 455846400},
    {"5", "Yuki Tanabe", "ytanabe", 827712000},
    {"6", "Lars Edvardsen", "ledvardsen", 567993600},
};
constexpr ProductRow kProducts[] = {
    {"1", "Trail Running Shoe", 899, 320, true},  {"2", "Insulated Water Bottle", 249, 410, true},
    {"3", "Ultralight Tent", 3499, 1150, false},  {"4", "Headlamp", 399, 90, true},
    {"5", "Merino Base Layer", 1199, 180, true},  {"6", "Trekking Poles", 1299, 520, false},
    {"7", "Down Sleeping Bag", 2899, 940, true},  {"8", "Camp Stove", 749, 360, true},
    {"9", "Waterproof Jacket", 1899, 430, false},
};
constexpr ReviewRow kReviews[] = {
    {"1", 0, 0}, {"2", 1, 0}, {"3", 0, 1},  {"4", 2, 2},  {"5", 3, 1},  {"6", 4, 3},  {"7", 5, 4},
    {"8", 1, 5}, {"9", 2, 6}, {"10", 3, 7}, {"11", 4, 8}, {"12", 5, 0}, {"13", 0, 2}, {"14", 1, 4},
};
constexpr int kUserCount = 6, kProductCount = 9, kReviewCount = 14;

// Review bodies are a few sentences each, long enough that the benchmark query's response
// is about 88 KB, as in the community benchmark.
constexpr std::string_view kSentences[] = {
    "Arrived two days early and well packed, with no sign of the rough trip the box had.",
    "I have used it on every weekend outing since spring and it still looks close to new.",
    "The materials feel better than the price suggests, and the stitching is neat throughout.",
    "Setup took a few minutes the first time and under a minute once I knew the steps.",
    "It is a little heavier than the listing says, which matters on longer trips.",
    "Customer service answered my question about sizing the same day and were helpful.",
    "After a week of rain it kept everything dry, which is all I really wanted from it.",
    "The colour is slightly darker than in the photos, but I like it better this way.",
    "I bought a second one for my partner after the first month; we both use them daily.",
    "Cleaning is easy: a rinse and a day in the sun and it is ready for the next trip.",
    "Compared with the one I had before, it packs smaller and feels sturdier in the hand.",
    "My only complaint is the storage bag, which is tight once the item has been used.",
    "It survived a fall onto rocks on the second day with only a small scuff to show.",
    "Would recommend it to anyone who spends more than a few nights a year outdoors.",
};

const std::vector<std::string>& review_bodies() {
  static const std::vector<std::string> bodies = [] {
    std::vector<std::string> out;
    for (int r = 0; r < kReviewCount; ++r) {
      std::string body;
      for (int k = 0; body.size() < 430; ++k) {
        if (!body.empty()) body += ' ';
        body += kSentences[(r * 3 + k * 5) % std::size(kSentences)];
      }
      out.push_back(std::move(body));
    }
    return out;
  }();
  return bodies;
}

int find_row(std::string_view id, int count) {
  int value = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (ec != std::errc() || end != id.data() + id.size() || value < 1 || value > count) return -1;
  return value - 1;
}

// Shipping is free above 10.00, else half a cent per gram.
int shipping_estimate(int64_t price, int64_t weight) {
  return price > 1000 ? 0 : static_cast<int>(weight / 2);
}

// ---- execution -----------------------------------------------------------------------------

enum class Type { kQuery, kUser, kProduct, kReview, kService };

constexpr std::string_view type_name(Type t) {
  switch (t) {
    case Type::kQuery: return "Query";
    case Type::kUser: return "User";
    case Type::kProduct: return "Product";
    case Type::kReview: return "Review";
    case Type::kService: return "_Service";
  }
  return "";
}

struct Obj {
  Type type;
  int index = 0;
  const JsonValue* representation = nullptr;  // for @requires inputs (entities only)
};

// Fields of one response key, merged as the spec's CollectFields does.
struct Group {
  std::string_view key;
  const Field* field;
  std::vector<const SelectionSet*> sets;
};

struct Ctx {
  SubgraphId subgraph;
  std::string_view sdl;
  const JsonValue* variables = nullptr;
  std::vector<const FragmentDefinition*> fragments;
  std::string out;
  std::string error;  // the first error; the answer is then {"errors":[…]}

  void fail(std::string message) {
    if (error.empty()) error = std::move(message);
  }
};

const JsonValue* variable(const Ctx& ctx, const graphql::Variable* v) {
  return ctx.variables ? ctx.variables->find(v->name.value) : nullptr;
}

const graphql::Value* argument(const Field* f, std::string_view name) {
  for (const graphql::Argument* a : f->arguments) {
    if (a->name.value == name) return a->value;
  }
  return nullptr;
}

bool included(const Ctx& ctx, const Selection* s) {
  for (const graphql::Directive* d : s->directives) {
    bool skip = d->name.value == "skip";
    if (!skip && d->name.value != "include") continue;
    bool condition = false;
    for (const graphql::Argument* a : d->arguments) {
      if (a->name.value != "if") continue;
      if (a->value->kind == Kind::kBooleanValue) {
        condition = a->value->as<graphql::BooleanValue>()->value;
      } else if (a->value->kind == Kind::kVariable) {
        const JsonValue* v = variable(ctx, a->value->as<graphql::Variable>());
        condition = v != nullptr && v->as_bool();
      }
    }
    if (skip == condition) return false;
  }
  return true;
}

void collect(Ctx& ctx, Type type, const SelectionSet* set, std::vector<Group>& groups,
             int depth = 0) {
  if (depth > 32) {
    ctx.fail("Fragments nest too deeply.");
    return;
  }
  for (const Selection* s : set->selections) {
    if (!included(ctx, s)) continue;
    if (s->kind == Kind::kField) {
      const auto* f = s->as<Field>();
      std::string_view key = f->response_key();
      Group* group = nullptr;
      for (Group& g : groups) {
        if (g.key == key) group = &g;
      }
      if (group == nullptr) group = &groups.emplace_back(Group{key, f, {}});
      if (f->selection_set != nullptr) group->sets.push_back(f->selection_set);
    } else if (s->kind == Kind::kInlineFragment) {
      const auto* f = s->as<InlineFragment>();
      if (f->type_condition == nullptr || f->type_condition->name.value == type_name(type))
        collect(ctx, type, f->selection_set, groups, depth + 1);
    } else if (s->kind == Kind::kFragmentSpread) {
      std::string_view name = s->as<FragmentSpread>()->name.value;
      const FragmentDefinition* def = nullptr;
      for (const FragmentDefinition* d : ctx.fragments) {
        if (d->name.value == name) def = d;
      }
      if (def == nullptr) {
        ctx.fail("Unknown fragment \"" + std::string(name) + "\".");
      } else if (def->type_condition->name.value == type_name(type)) {
        collect(ctx, type, def->selection_set, groups, depth + 1);
      }
    }
  }
}

void write_object(Ctx& ctx, Obj obj, std::span<const SelectionSet* const> sets);

void write_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void write_list(Ctx& ctx, Type type, const Group& g, auto&& rows) {
  ctx.out += '[';
  bool first = true;
  for (int index : rows) {
    if (!first) ctx.out += ',';
    first = false;
    write_object(ctx, Obj{type, index}, g.sets);
  }
  ctx.out += ']';
}

struct ReviewsWhere {
  bool by_author;
  int index;
  struct It {
    const ReviewsWhere* w;
    int r;
    void skip() {
      while (r < kReviewCount &&
             (w->by_author ? kReviews[r].author : kReviews[r].product) != w->index)
        ++r;
    }
    int operator*() const { return r; }
    It& operator++() {
      ++r;
      skip();
      return *this;
    }
    bool operator!=(const It& o) const { return r != o.r; }
  };
  It begin() const {
    It it{this, 0};
    it.skip();
    return it;
  }
  It end() const { return It{this, kReviewCount}; }
};

struct Range {
  int n;
  struct It {
    int i;
    int operator*() const { return i; }
    It& operator++() {
      ++i;
      return *this;
    }
    bool operator!=(const It& o) const { return i != o.i; }
  };
  It begin() const { return {0}; }
  It end() const { return {n}; }
};

// Entities of the type this subgraph holds a key of; -1 when unknown.
int entity_index(Ctx& ctx, Type type, const JsonValue& rep) {
  auto key = [&](std::string_view name) -> std::string_view {
    const JsonValue* v = rep.find(name);
    if (v == nullptr || !v->is_string()) {
      ctx.fail("Representation of " + std::string(type_name(type)) + " without \"" +
               std::string(name) + "\".");
      return {};
    }
    return v->as_string();
  };
  switch (type) {
    case Type::kUser: return find_row(key("id"), kUserCount);
    case Type::kProduct: return find_row(key("upc"), kProductCount);
    case Type::kReview: return find_row(key("id"), kReviewCount);
    default: return -1;
  }
}

bool holds_entity(SubgraphId sg, std::string_view typename_) {
  switch (sg) {
    case SubgraphId::kAccounts: return typename_ == "User";
    case SubgraphId::kProducts:
    case SubgraphId::kInventory: return typename_ == "Product";
    case SubgraphId::kReviews:
      return typename_ == "User" || typename_ == "Product" || typename_ == "Review";
  }
  return false;
}

void write_entities(Ctx& ctx, const Group& g) {
  const graphql::Value* arg = argument(g.field, "representations");
  const JsonValue* reps = nullptr;
  if (arg != nullptr && arg->kind == Kind::kVariable)
    reps = variable(ctx, arg->as<graphql::Variable>());
  if (reps == nullptr || !reps->is_array()) {
    ctx.fail("_entities needs a list variable for \"representations\".");
    ctx.out += "null";
    return;
  }
  ctx.out += '[';
  bool first = true;
  for (const JsonValue& rep : reps->items()) {
    if (!first) ctx.out += ',';
    first = false;
    const JsonValue* tn = rep.is_object() ? rep.find("__typename") : nullptr;
    std::string_view name = tn ? tn->as_string() : std::string_view();
    if (!holds_entity(ctx.subgraph, name)) {
      ctx.fail("Representation of unknown entity type \"" + std::string(name) + "\".");
      ctx.out += "null";
      continue;
    }
    Type type = name == "User" ? Type::kUser : name == "Product" ? Type::kProduct : Type::kReview;
    int index = entity_index(ctx, type, rep);
    if (index < 0) {
      ctx.out += "null";
      continue;
    }
    write_object(ctx, Obj{type, index, &rep}, g.sets);
  }
  ctx.out += ']';
}

bool int_argument(Ctx& ctx, const Field* f, std::string_view name, int64_t* out) {
  const graphql::Value* v = argument(f, name);
  if (v == nullptr) return false;
  if (v->kind == Kind::kIntValue) {
    std::string_view text = v->as<graphql::IntValue>()->value;
    std::from_chars(text.data(), text.data() + text.size(), *out);
    return true;
  }
  if (v->kind == Kind::kVariable) {
    const JsonValue* j = variable(ctx, v->as<graphql::Variable>());
    if (j != nullptr && j->is_int64()) {
      *out = j->as_int64();
      return true;
    }
  }
  return false;
}

std::string_view id_argument(Ctx& ctx, const Field* f, std::string_view name) {
  const graphql::Value* v = argument(f, name);
  if (v == nullptr) return {};
  if (v->kind == Kind::kStringValue) return v->as<graphql::StringValue>()->value;
  if (v->kind == Kind::kIntValue) return v->as<graphql::IntValue>()->value;
  if (v->kind == Kind::kVariable) {
    const JsonValue* j = variable(ctx, v->as<graphql::Variable>());
    if (j != nullptr && j->is_string()) return j->as_string();
  }
  return {};
}

void unknown_field(Ctx& ctx, Type type, std::string_view name) {
  ctx.fail("Cannot query field \"" + std::string(name) + "\" on type \"" +
           std::string(type_name(type)) + "\" in subgraph \"" +
           std::string(subgraph_name(ctx.subgraph)) + "\".");
  ctx.out += "null";
}

void write_field(Ctx& ctx, Obj obj, const Group& g) {
  std::string& out = ctx.out;
  std::string_view n = g.field->name.value;
  if (n == "__typename") {
    append_json_string(out, type_name(obj.type));
    return;
  }
  SubgraphId sg = ctx.subgraph;
  switch (obj.type) {
    case Type::kQuery:
      if (n == "_service") {
        write_object(ctx, Obj{Type::kService}, g.sets);
      } else if (n == "_entities") {
        write_entities(ctx, g);
      } else if (sg == SubgraphId::kAccounts && n == "me") {
        write_object(ctx, Obj{Type::kUser, 0}, g.sets);
      } else if (sg == SubgraphId::kAccounts && n == "user") {
        int index = find_row(id_argument(ctx, g.field, "id"), kUserCount);
        if (index < 0)
          out += "null";
        else
          write_object(ctx, Obj{Type::kUser, index}, g.sets);
      } else if (sg == SubgraphId::kAccounts && n == "users") {
        write_list(ctx, Type::kUser, g, Range{kUserCount});
      } else if (sg == SubgraphId::kProducts && n == "topProducts") {
        int64_t first = 5;
        int_argument(ctx, g.field, "first", &first);
        if (first < 0) {
          ctx.fail("topProducts(first:) must not be negative.");
          first = 0;
        }
        write_list(ctx, Type::kProduct, g, Range{static_cast<int>(std::min<int64_t>(first, 9))});
      } else {
        unknown_field(ctx, obj.type, n);
      }
      return;
    case Type::kService:
      if (n == "sdl")
        append_json_string(out, ctx.sdl);
      else
        unknown_field(ctx, obj.type, n);
      return;
    case Type::kUser: {
      const UserRow& u = kUsers[obj.index];
      if (n == "id") {
        append_json_string(out, u.id);
      } else if (n == "username" && (sg == SubgraphId::kAccounts || sg == SubgraphId::kReviews)) {
        append_json_string(out, u.username);  // reviews: only through @provides
      } else if (sg == SubgraphId::kAccounts && n == "name") {
        append_json_string(out, u.name);
      } else if (sg == SubgraphId::kAccounts && n == "birthday") {
        write_int(out, u.birthday);
      } else if (sg == SubgraphId::kReviews && n == "reviews") {
        write_list(ctx, Type::kReview, g, ReviewsWhere{true, obj.index});
      } else {
        unknown_field(ctx, obj.type, n);
      }
      return;
    }
    case Type::kProduct: {
      const ProductRow& p = kProducts[obj.index];
      if (n == "upc") {
        append_json_string(out, p.upc);
      } else if (sg == SubgraphId::kProducts && n == "name") {
        append_json_string(out, p.name);
      } else if (sg == SubgraphId::kProducts && n == "price") {
        write_int(out, p.price);
      } else if (sg == SubgraphId::kProducts && n == "weight") {
        write_int(out, p.weight);
      } else if (sg == SubgraphId::kInventory && n == "inStock") {
        out += p.in_stock ? "true" : "false";
      } else if (sg == SubgraphId::kInventory && n == "shippingEstimate") {
        // @requires(fields: "price weight"): the inputs come with the representation.
        const JsonValue* price = obj.representation ? obj.representation->find("price") : nullptr;
        const JsonValue* weight = obj.representation ? obj.representation->find("weight") : nullptr;
        if (price == nullptr || weight == nullptr) {
          ctx.fail("shippingEstimate needs price and weight in the representation.");
          out += "null";
        } else if (!price->is_int64() || !weight->is_int64()) {
          out += "null";
        } else {
          write_int(out, shipping_estimate(price->as_int64(), weight->as_int64()));
        }
      } else if (sg == SubgraphId::kReviews && n == "reviews") {
        write_list(ctx, Type::kReview, g, ReviewsWhere{false, obj.index});
      } else {
        unknown_field(ctx, obj.type, n);
      }
      return;
    }
    case Type::kReview: {
      const ReviewRow& r = kReviews[obj.index];
      if (sg != SubgraphId::kReviews) {
        unknown_field(ctx, obj.type, n);
      } else if (n == "id") {
        append_json_string(out, r.id);
      } else if (n == "body") {
        append_json_string(out, review_bodies()[obj.index]);
      } else if (n == "product") {
        write_object(ctx, Obj{Type::kProduct, r.product}, g.sets);
      } else if (n == "author") {
        write_object(ctx, Obj{Type::kUser, r.author}, g.sets);
      } else {
        unknown_field(ctx, obj.type, n);
      }
      return;
    }
  }
}

void write_object(Ctx& ctx, Obj obj, std::span<const SelectionSet* const> sets) {
  if (sets.empty()) {
    ctx.fail("Field of type " + std::string(type_name(obj.type)) + " needs a selection set.");
    ctx.out += "null";
    return;
  }
  std::vector<Group> groups;
  for (const SelectionSet* set : sets)
    collect(ctx, obj.type, set, groups);
  ctx.out += '{';
  bool first = true;
  for (const Group& g : groups) {
    if (!first) ctx.out += ',';
    first = false;
    append_json_string(ctx.out, g.key);
    ctx.out += ':';
    write_field(ctx, obj, g);
  }
  ctx.out += '}';
}

std::string error_answer(std::string_view message) {
  std::string out = "{\"data\":null,\"errors\":[{\"message\":";
  append_json_string(out, message);
  out += "}]}";
  return out;
}

}  // namespace

std::string_view subgraph_name(SubgraphId id) {
  switch (id) {
    case SubgraphId::kAccounts: return "accounts";
    case SubgraphId::kProducts: return "products";
    case SubgraphId::kInventory: return "inventory";
    case SubgraphId::kReviews: return "reviews";
  }
  return "";
}

std::string BenchSubgraph::answer(std::string_view request_body) const {
  Arena arena(8 * 1024);
  JsonParseOptions json_options;
  json_options.max_depth = 64;
  Result<JsonValue> request = parse_json(request_body, arena, json_options);
  if (!request.ok() || !request->is_object())
    return error_answer("The request body is not a JSON object.");
  const JsonValue* query = request->find("query");
  if (query == nullptr || !query->is_string())
    return error_answer("The request has no \"query\" string.");
  const JsonValue* operation_name = request->find("operationName");
  const JsonValue* variables = request->find("variables");

  graphql::ParseOptions parse_options;
  parse_options.allow_type_system = false;
  parse_options.max_depth = 64;
  graphql::ParseResult parsed = graphql::parse(query->as_string(), arena, parse_options);
  if (!parsed.ok()) return error_answer(parsed.error.message);

  Ctx ctx;
  ctx.subgraph = id_;
  ctx.sdl = sdl_;
  ctx.variables = variables && variables->is_object() ? variables : nullptr;
  const graphql::OperationDefinition* operation = nullptr;
  int operations = 0;
  for (const graphql::Definition* d : parsed.document->definitions) {
    if (d->kind == Kind::kFragmentDefinition) {
      ctx.fragments.push_back(d->as<FragmentDefinition>());
    } else if (d->kind == Kind::kOperationDefinition) {
      const auto* op = d->as<graphql::OperationDefinition>();
      ++operations;
      if (operation_name && operation_name->is_string()) {
        if (op->name.value == operation_name->as_string()) operation = op;
      } else {
        operation = op;
      }
    }
  }
  if (operation == nullptr || (operations > 1 && !(operation_name && operation_name->is_string())))
    return error_answer("Cannot pick the operation to run (give a known operationName).");
  if (operation->operation != graphql::OperationType::kQuery)
    return error_answer("Only queries are served by the benchmark subgraphs.");

  ctx.out.reserve(4096);
  ctx.out += "{\"data\":";
  const SelectionSet* root = operation->selection_set;
  write_object(ctx, Obj{Type::kQuery}, std::span<const SelectionSet* const>(&root, 1));
  ctx.out += '}';
  if (!ctx.error.empty()) return error_answer(ctx.error);
  return std::move(ctx.out);
}

}  // namespace orbit::bench
