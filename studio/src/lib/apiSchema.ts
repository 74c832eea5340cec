// The API schema of a supergraph (what clients see), with graphql-js's parser and printer.
import { Kind, parse, print, visit, type DefinitionNode, type DirectiveNode } from "graphql";

const FEDERATION_PREFIXES = ["join__", "link__"];
const FEDERATION_DIRECTIVES = new Set(["link", "inaccessible", "tag", "authenticated", "requiresScopes", "policy", "cost", "listSize", "context", "fromContext"]);

function isFederationName(name: string): boolean {
  return FEDERATION_PREFIXES.some((p) => name.startsWith(p));
}

function hasInaccessible(directives: readonly DirectiveNode[] | undefined): boolean {
  return (directives ?? []).some((d) => d.name.value === "inaccessible");
}

// The API schema of a supergraph: without the join__/link__ machinery, without @inaccessible
// elements and without federation's directives. Throws when the SDL does not parse.
export function apiSchemaFromSupergraph(supergraphSdl: string): string {
  const doc = parse(supergraphSdl, { noLocation: true });
  const removedTypes = new Set<string>();
  for (const def of doc.definitions) {
    if ("name" in def && def.name && def.kind !== Kind.DIRECTIVE_DEFINITION) {
      const name = def.name.value;
      if (isFederationName(name) || hasInaccessible((def as { directives?: readonly DirectiveNode[] }).directives))
        removedTypes.add(name);
    }
  }
  const stripped = visit(doc, {
    Directive(node) {
      const name = node.name.value;
      if (isFederationName(name) || FEDERATION_DIRECTIVES.has(name)) return null;
      return undefined;
    },
    DirectiveDefinition(node) {
      const name = node.name.value;
      return isFederationName(name) || FEDERATION_DIRECTIVES.has(name) ? null : undefined;
    },
    FieldDefinition(node) {
      return hasInaccessible(node.directives) || refersTo(node.type, removedTypes) ? null : undefined;
    },
    InputValueDefinition(node) {
      return hasInaccessible(node.directives) || refersTo(node.type, removedTypes) ? null : undefined;
    },
    EnumValueDefinition(node) {
      return hasInaccessible(node.directives) ? null : undefined;
    },
  });
  const defs = stripped.definitions.filter((def: DefinitionNode) => {
    if (def.kind === Kind.SCHEMA_DEFINITION) return false; // the standard root names remain
    if (def.kind === Kind.SCHEMA_EXTENSION) return false;
    if ("name" in def && def.name && removedTypes.has(def.name.value)) return false;
    return true;
  });
  // Unions lose members that were removed.
  const cleaned = defs.map((def) => {
    if (def.kind === Kind.UNION_TYPE_DEFINITION && def.types)
      return { ...def, types: def.types.filter((t) => !removedTypes.has(t.name.value)) };
    if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION) && def.interfaces)
      return { ...def, interfaces: def.interfaces.filter((t) => !removedTypes.has(t.name.value)) };
    return def;
  });
  return print({ ...stripped, definitions: cleaned }) + "\n";
}

function refersTo(type: { kind: string; type?: unknown; name?: { value: string } }, names: Set<string>): boolean {
  if (type.kind === Kind.NAMED_TYPE) return names.has(type.name!.value);
  return refersTo(type.type as { kind: string }, names);
}
