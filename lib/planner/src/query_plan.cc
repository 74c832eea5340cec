// QueryPlan::to_string: the Apollo-like text form (see query_plan.h), with each selection set
// printed on one line (`{ me { __typename id } }`) so that golden files stay short.
#include "orbit/planner/query_plan.h"

#include <string>

#include "orbit/graphql/printer.h"

namespace orbit::planner {
namespace {

void append_selection_set(std::string& out, const graphql::SelectionSet& set);

void append_arguments(std::string& out, graphql::List<graphql::Argument> args) {
  if (args.empty()) return;
  out += '(';
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ", ";
    out += args[i]->name.value;
    out += ": ";
    out += graphql::print(*args[i]->value);
  }
  out += ')';
}

void append_selection(std::string& out, const graphql::Selection& sel) {
  if (sel.kind == graphql::Kind::kField) {
    const auto& f = *sel.as<graphql::Field>();
    if (!f.alias.empty()) {
      out += f.alias.value;
      out += ": ";
    }
    out += f.name.value;
    append_arguments(out, f.arguments);
    if (f.selection_set != nullptr) {
      out += ' ';
      append_selection_set(out, *f.selection_set);
    }
  } else if (sel.kind == graphql::Kind::kInlineFragment) {
    const auto& f = *sel.as<graphql::InlineFragment>();
    out += "...";
    if (f.type_condition != nullptr) {
      out += " on ";
      out += f.type_condition->name.value;
    }
    out += ' ';
    append_selection_set(out, *f.selection_set);
  } else {
    out += "...";
    out += sel.as<graphql::FragmentSpread>()->name.value;
  }
}

void append_selection_set(std::string& out, const graphql::SelectionSet& set) {
  out += '{';
  for (const graphql::Selection* sel : set.selections) {
    out += ' ';
    append_selection(out, *sel);
  }
  out += set.selections.empty() ? "}" : " }";
}

void indent(std::string& out, int depth) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
}

std::string path_text(std::span<const PathSegment> path) {
  std::string out;
  for (const PathSegment& seg : path) {
    switch (seg.kind) {
      case PathSegment::Kind::kField:
        if (!out.empty()) out += '.';
        out += seg.name;
        break;
      case PathSegment::Kind::kList:
        if (!out.empty()) out += '.';
        out += '@';
        break;
      case PathSegment::Kind::kTypeCondition:
        // Apollo's notation: a condition applies to the segment before it.
        out += "|[";
        out += seg.name;
        out += ']';
        break;
    }
  }
  return out;
}

void append_node(std::string& out, const PlanNode& node, int depth);

void append_children(std::string& out, std::span<PlanNode* const> nodes, int depth) {
  for (const PlanNode* child : nodes)
    append_node(out, *child, depth);
}

void append_node(std::string& out, const PlanNode& node, int depth) {
  indent(out, depth);
  switch (node.kind) {
    case PlanNodeKind::kFetch: {
      const auto& f = static_cast<const FetchNode&>(node);
      out += "Fetch(service: \"";
      out += f.subgraph_name;
      out += "\") {\n";
      indent(out, depth + 1);
      if (f.requires_selection != nullptr) {
        append_selection_set(out, *f.requires_selection);
        out += " =>\n";
        indent(out, depth + 1);
      }
      if (f.selection_set != nullptr) append_selection_set(out, *f.selection_set);
      out += '\n';
      for (const OutputRewrite& r : f.output_rewrites) {
        indent(out, depth + 1);
        out += "rename: ";
        for (std::string_view k : r.path) {
          out += k;
          out += '.';
        }
        out += r.alias;
        out += " => ";
        out += r.key;
        out += '\n';
      }
      indent(out, depth);
      out += "},\n";
      break;
    }
    case PlanNodeKind::kSequence:
      out += "Sequence {\n";
      append_children(out, static_cast<const SequenceNode&>(node).nodes, depth + 1);
      indent(out, depth);
      out += "},\n";
      break;
    case PlanNodeKind::kParallel:
      out += "Parallel {\n";
      append_children(out, static_cast<const ParallelNode&>(node).nodes, depth + 1);
      indent(out, depth);
      out += "},\n";
      break;
    case PlanNodeKind::kFlatten: {
      const auto& f = static_cast<const FlattenNode&>(node);
      out += "Flatten(path: \"";
      out += path_text(f.path);
      out += "\") {\n";
      if (f.node != nullptr) append_node(out, *f.node, depth + 1);
      indent(out, depth);
      out += "},\n";
      break;
    }
    case PlanNodeKind::kCondition: {
      const auto& c = static_cast<const ConditionNode&>(node);
      // One branch: Apollo's short forms, `Include(if: $v) { … }` / `Skip(if: $v) { … }`.
      if (c.if_clause == nullptr || c.else_clause == nullptr) {
        out += c.if_clause != nullptr ? "Include(if: $" : "Skip(if: $";
        out += c.variable;
        out += ") {\n";
        const PlanNode* only = c.if_clause != nullptr ? c.if_clause : c.else_clause;
        if (only != nullptr) append_node(out, *only, depth + 1);
        indent(out, depth);
        out += "},\n";
        break;
      }
      out += "Condition(if: $";
      out += c.variable;
      out += ") {\n";
      indent(out, depth + 1);
      out += "Then {\n";
      append_node(out, *c.if_clause, depth + 2);
      indent(out, depth + 1);
      out += "}\n";
      indent(out, depth + 1);
      out += "Else {\n";
      append_node(out, *c.else_clause, depth + 2);
      indent(out, depth + 1);
      out += "}\n";
      indent(out, depth);
      out += "},\n";
      break;
    }
  }
}

}  // namespace

std::string QueryPlan::to_string() const {
  std::string out = "QueryPlan {\n";
  if (root_ != nullptr) append_node(out, *root_, 1);
  out += "}\n";
  return out;
}

}  // namespace orbit::planner
