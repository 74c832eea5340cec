import { describe, expect, it } from "vitest";
import { definedTypeNames, searchDefinitions, splitDefinitions, tokenizeLine } from "./sdl";
import { apiSchemaFromSupergraph } from "./apiSchema";

const SDL = `"""
A product of the shop.
"""
type Product @key(fields: "upc") {
  upc: String!
  name: String!
  reviews: [Review!]!
}

type Review {
  body: String
  author: User
}

# people
type User {
  username: String
}

scalar Date

union SearchResult = Product | User

enum Color {
  RED
  GREEN
}

type Query {
  topProducts(first: Int = 5): [Product!]!
}
`;

describe("splitDefinitions", () => {
  it("finds every top-level definition with its description and line", () => {
    const defs = splitDefinitions(SDL);
    expect(defs.map((d) => `${d.kind} ${d.name}`)).toEqual([
      "type Product",
      "type Review",
      "type User",
      "scalar Date",
      "union SearchResult",
      "enum Color",
      "type Query",
    ]);
    expect(defs[0].line).toBe(1);
    expect(defs[0].text).toContain("A product of the shop.");
    expect(defs[0].text.trim().endsWith("}")).toBe(true);
    expect(defs[2].text.startsWith("# people")).toBe(true);
  });
  it("keeps extensions and schema definitions apart from types", () => {
    const defs = splitDefinitions('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n\ntype Query { a: Int }\n');
    expect(defs.map((d) => d.kind)).toEqual(["extend", "type"]);
    expect(definedTypeNames(defs)).toEqual(new Set(["Query"]));
  });
  it("continues a union over several lines", () => {
    const defs = splitDefinitions("union U =\n  | A\n  | B\n\ntype A { a: Int }\n");
    expect(defs[0].text).toBe("union U =\n  | A\n  | B");
    expect(defs).toHaveLength(2);
  });
});

describe("searchDefinitions", () => {
  const defs = splitDefinitions(SDL);
  it("keeps definitions containing every word, name matches first", () => {
    expect(searchDefinitions(defs, "user").map((d) => d.name)).toEqual(["User", "Review", "SearchResult"]);
    expect(searchDefinitions(defs, "USERNAME").map((d) => d.name)).toEqual(["User"]);
    expect(searchDefinitions(defs, "product reviews").map((d) => d.name)).toEqual(["Product"]);
    expect(searchDefinitions(defs, "nothing-like-this")).toEqual([]);
    expect(searchDefinitions(defs, "  ")).toHaveLength(defs.length);
  });
});

describe("tokenizeLine", () => {
  const names = definedTypeNames(splitDefinitions(SDL));
  it("links defined types, not built-in scalars, strings, comments or directives", () => {
    const tokens = tokenizeLine('  reviews(by: User, n: Int): [Review!]! @deprecated(reason: "use Product") # Product', names);
    const links = tokens.filter((t) => t.typeRef).map((t) => t.typeRef);
    expect(links).toEqual(["User", "Review"]);
    expect(tokens.map((t) => t.text).join("")).toBe('  reviews(by: User, n: Int): [Review!]! @deprecated(reason: "use Product") # Product');
  });
  it("does not link a directive named like a type", () => {
    expect(tokenizeLine("  a: Int @User", names).some((t) => t.typeRef)).toBe(false);
  });
  it("marks search hits inside tokens", () => {
    const tokens = tokenizeLine("  author: User", names, ["use"]);
    const hit = tokens.find((t) => t.match);
    expect(hit?.text).toBe("Use");
    expect(hit?.typeRef).toBe("User");
    expect(tokens.map((t) => t.text).join("")).toBe("  author: User");
  });
});

const SUPERGRAPH = `schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
{
  query: Query
}

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION

scalar join__FieldSet
scalar link__Import

enum join__Graph {
  PRODUCTS @join__graph(name: "products", url: "http://127.0.0.1:4001/graphql")
  REVIEWS @join__graph(name: "reviews", url: "http://127.0.0.1:4002/graphql")
}

enum link__Purpose {
  SECURITY
  EXECUTION
}

type Product @join__type(graph: PRODUCTS, key: "upc") @join__type(graph: REVIEWS, key: "upc") {
  upc: String!
  name: String! @join__field(graph: PRODUCTS)
  secret: String @inaccessible @join__field(graph: PRODUCTS)
  internal: Internal @join__field(graph: PRODUCTS)
}

type Internal @inaccessible @join__type(graph: PRODUCTS) {
  x: Int
}

type Query @join__type(graph: PRODUCTS) @join__type(graph: REVIEWS) {
  topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS)
}
`;

describe("apiSchemaFromSupergraph", () => {
  it("drops the federation machinery and inaccessible elements", () => {
    const api = apiSchemaFromSupergraph(SUPERGRAPH);
    expect(api).not.toMatch(/join__|link__|@link|@inaccessible|secret|Internal/);
    expect(api).toContain("type Product {");
    expect(api).toContain("name: String!");
    expect(api).toContain("topProducts(first: Int = 5): [Product!]!");
    expect(splitDefinitions(api).map((d) => d.name)).toEqual(["Product", "Query"]);
  });
  it("throws on SDL that does not parse", () => {
    expect(() => apiSchemaFromSupergraph("type {")).toThrow();
  });
});
