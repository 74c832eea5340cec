// HttpHeaders: an ordered list of header fields with case-insensitive lookup.
//
// A plain value type (no thread affinity). Order and duplicates are kept as received, which
// is what a proxy forwarding headers to subgraphs needs; lookups are linear, which is faster
// than hashing for the dozen fields a request carries.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orbit::net {

class HttpHeaders {
 public:
  using Field = std::pair<std::string, std::string>;

  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<Field> fields) : fields_(fields) {}

  // Appends; an existing field of the same name is kept (repeated headers are legal).
  void add(std::string name, std::string value);
  // Replaces every field named `name` by one.
  void set(std::string_view name, std::string value);
  // Room for `n` fields without reallocating.
  void reserve(size_t n) { fields_.reserve(n); }
  // Removes every field named `name`; returns how many were removed.
  size_t remove(std::string_view name);

  // The first field named `name`.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

// ASCII case-insensitive equality, as HTTP field names and tokens compare.
bool iequals(std::string_view a, std::string_view b);

}  // namespace orbit::net
