// "Did you mean ...?" hints, exactly as graphql-js words and orders them (suggestionList,
// didYouMean, orList/andList), for error messages of the schema and validation stages.
//
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::graphql {

// The options close to `input` (Damerau-Levenshtein within 40% of its length, case changes
// count as distance 1), nearest first, ties in natural order ("a2" before "a10").
std::vector<std::string_view> suggestion_list(std::string_view input,
                                              std::span<const std::string_view> options);

// " Did you mean "A", "B", or "C"?" for up to five quoted suggestions; "" when there are none.
// With a sub_message: " Did you mean <sub_message> "A" or "B"?".
std::string did_you_mean(std::span<const std::string_view> suggestions,
                         std::string_view sub_message = {});

// "A", "A or B", "A, B, or C" (and_list: "and"). Items are used as given.
std::string or_list(std::span<const std::string> items);
std::string and_list(std::span<const std::string> items);

// graphql-js's naturalCompare: <0, 0, >0.
int natural_compare(std::string_view a, std::string_view b);

}  // namespace orbit::graphql
