#include "orbit/graphql/normalization/select_operation.h"

#include <string>

namespace orbit::graphql {

const OperationDefinition* select_operation(const Document& document,
                                            std::optional<std::string_view> operation_name,
                                            ErrorReport& report) {
  const OperationDefinition* found = nullptr;
  for (const Definition* def : document.definitions) {
    if (def->kind != Kind::kOperationDefinition) continue;
    const auto* op = def->as<OperationDefinition>();
    if (!operation_name) {
      if (found != nullptr) {
        report.add("Must provide operation name if query contains multiple operations.",
                   ErrorCode::kOperationNameRequired);
        return nullptr;
      }
      found = op;
    } else if (!op->name.empty() && op->name.value == *operation_name && found == nullptr) {
      // graphql-js keeps the last operation of that name; documents with two are invalid
      // (UniqueOperationNamesRule), and the first is the one users expect in logs.
      found = op;
    }
  }
  if (found != nullptr) return found;
  if (operation_name) {
    std::string message = "Unknown operation named \"";
    message.append(*operation_name);
    message += "\".";
    report.add(std::move(message), ErrorCode::kOperationNotFound);
  } else {
    report.add("Must provide an operation.", ErrorCode::kOperationNotFound);
  }
  return nullptr;
}

}  // namespace orbit::graphql
