// "Did you mean …?" suggestions, as graphql-js words them (jsutils/suggestionList.js,
// didYouMean.js, formatList.js): options within a lexical (Damerau-Levenshtein, case
// folded) distance of 40% of the input's length, closest first, then in natural order.
//
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::graphql {

// The options similar to `input`, best first.
std::vector<std::string_view> suggestion_list(std::string_view input,
                                              std::span<const std::string_view> options);

// " Did you mean \"a\", \"b\", or \"c\"?" (at most 5), or "" when `suggestions` is empty.
// `sub_message` (e.g. "the enum value") is inserted after "Did you mean" when non-empty.
std::string did_you_mean(std::span<const std::string_view> suggestions,
                         std::string_view sub_message = {});

// "A", "A or B", "A, B, or C" (graphql-js orList); "and" for and_list.
std::string or_list(std::span<const std::string> items);
std::string and_list(std::span<const std::string> items);

// graphql-js naturalCompare: digit runs compare as numbers ("a2" < "a10").
int natural_compare(std::string_view a, std::string_view b);

}  // namespace orbit::graphql
