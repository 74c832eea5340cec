// SDL helpers of the schema pages: split a schema into its definitions, search them, find the
// type names to link. (The API schema of a supergraph is in apiSchema.ts: it needs graphql-js,
// which only the schema page loads.)

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
