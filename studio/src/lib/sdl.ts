// SDL helpers of the schema pages: split a schema into its definitions, search them, find the
// type names to link, and derive the API schema (what clients see) from a supergraph.
import { Kind, parse, print, visit, type DefinitionNode, type DirectiveNode } from "graphql";

export interface SdlDefinition {
  kind: string; // "type", "interface", "enum", "input", "union", "scalar", "directive", "schema", "extend"
  name: string; // the defined name ("" for schema definitions)
  text: string; // the definition's SDL, as written
  line: number; // 1-based line where it starts
}

const HEAD = /^(extend\s+)?(type|interface|enum|input|union|scalar|directive|schema)\b\s*@?([_A-Za-z][_0-9A-Za-z]*)?/;

// The top-level definitions of `sdl`, in order, each with its text and leading description.
// Line-based (no full parse) so that it also works on SDL that does not validate.
export function splitDefinitions(sdl: string): SdlDefinition[] {
  const lines = sdl.split("\n");
  const out: SdlDefinition[] = [];
  let pending: string[] = []; // description / comment lines before a definition
  let pendingStart = 0;
  let current: { def: SdlDefinition; body: string[]; depth: number } | null = null;
  let inBlockString = false;

  const close = () => {
    if (current) {
      current.def.text = current.body.join("\n").replace(/\s+$/, "");
      out.push(current.def);
      current = null;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (current) {
      current.body.push(line);
      current.depth += depthChange(line);
      if (current.depth <= 0 && !continues(line, lines[i + 1])) close();
      continue;
    }
    const trimmed = line.trim();
    const quotes = (trimmed.match(/"""/g) ?? []).length;
    if (inBlockString || trimmed.startsWith('"') || trimmed.startsWith("#")) {
      if (pending.length === 0) pendingStart = i;
      pending.push(line);
      if (quotes % 2 === 1) inBlockString = !inBlockString;
      continue;
    }
    const m = HEAD.exec(trimmed);
    if (m) {
      const kind = m[1] ? "extend" : m[2];
      const def: SdlDefinition = { kind, name: m[3] ?? "", text: "", line: (pending.length ? pendingStart : i) + 1 };
      current = { def, body: [...pending, line], depth: depthChange(line) };
      pending = [];
      if (current.depth <= 0 && !continues(line, lines[i + 1])) close();
      continue;
    }
    if (trimmed === "") pending = [];
  }
  close();
  return out;
}

function depthChange(line: string): number {
  const code = line.replace(/"[^"]*"/g, "").replace(/#.*$/, "");
  let d = 0;
  for (const c of code) {
    if (c === "{" || c === "(") d++;
    else if (c === "}" || c === ")") d--;
  }
  return d;
}

// A definition without braces (scalar, union, directive) may continue on the next line.
function continues(line: string, next: string | undefined): boolean {
  if (next === undefined) return false;
  const t = line.trim();
  const n = next.trim();
  if (t.endsWith("=") || t.endsWith("|") || t.endsWith("on") || t.endsWith(",")) return true;
  return n.startsWith("|") || n.startsWith("@") || n.startsWith("{") || n.startsWith("=") || n.startsWith("implements");
}

// Definitions that match `query` (case-insensitive, all words must appear in the definition;
// a definition whose name matches comes first). An empty query keeps everything.
export function searchDefinitions(defs: SdlDefinition[], query: string): SdlDefinition[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return defs;
  const hits = defs.filter((d) => {
    const text = d.text.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const byName = (d: SdlDefinition) => (words.some((w) => d.name.toLowerCase().includes(w)) ? 0 : 1);
  return hits.map((d, i) => ({ d, i })).sort((a, b) => byName(a.d) - byName(b.d) || a.i - b.i).map((x) => x.d);
}

export interface SdlToken {
  text: string;
  typeRef?: string; // set when the token names a type defined in the schema
  match?: boolean; // set when the token is part of a search hit
}

const BUILTIN_SCALARS = new Set(["String", "Int", "Float", "Boolean", "ID"]);

// Splits one line of SDL into tokens, marking names of `typeNames` (links) and occurrences of
// the search words (highlights). Comments and strings are never linked.
export function tokenizeLine(line: string, typeNames: Set<string>, words: string[] = []): SdlToken[] {
  const tokens: SdlToken[] = [];
  const re = /("(?:[^"\\]|\\.)*"|#.*$|[_A-Za-z][_0-9A-Za-z]*)/g;
  let last = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index > last) tokens.push({ text: line.slice(last, m.index) });
    const text = m[0];
    const isName = /^[_A-Za-z]/.test(text);
    const prev = line.slice(0, m.index);
    const isDirective = prev.endsWith("@");
    if (isName && !isDirective && typeNames.has(text) && !BUILTIN_SCALARS.has(text)) tokens.push({ text, typeRef: text });
    else tokens.push({ text });
    last = m.index + text.length;
  }
  if (last < line.length) tokens.push({ text: line.slice(last) });
  if (words.length === 0) return tokens;
  return tokens.flatMap((t) => highlight(t, words));
}

function highlight(token: SdlToken, words: string[]): SdlToken[] {
  const lower = token.text.toLowerCase();
  const out: SdlToken[] = [];
  let i = 0;
  while (i < token.text.length) {
    let best = -1;
    let bestWord = "";
    for (const w of words) {
      const at = lower.indexOf(w, i);
      if (at >= 0 && (best < 0 || at < best)) {
        best = at;
        bestWord = w;
      }
    }
    if (best < 0) break;
    if (best > i) out.push({ ...token, text: token.text.slice(i, best) });
    out.push({ ...token, text: token.text.slice(best, best + bestWord.length), match: true });
    i = best + bestWord.length;
  }
  if (i < token.text.length) out.push({ ...token, text: token.text.slice(i) });
  return out;
}

export function searchWords(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

// The names of the types a schema defines (the targets of links).
export function definedTypeNames(defs: SdlDefinition[]): Set<string> {
  const names = new Set<string>();
  for (const d of defs)
    if (d.name && d.kind !== "directive" && d.kind !== "schema" && d.kind !== "extend") names.add(d.name);
  return names;
}

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
