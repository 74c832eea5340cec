import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { SdlView } from "./SdlView";
import { ChangeList } from "./ChangeList";
import { ConfirmButton, Sparkline, StatusBadge } from "./bits";
import { ErrorView } from "./states";
import { ApiError } from "../lib/errors";

const SDL = `type Query {
  product(upc: String!): Product
}

type Product {
  upc: String!
  reviews: [Review!]!
}

type Review {
  body: String
}
`;

describe("SdlView", () => {
  it("links type names to their definition", () => {
    const onSelect = vi.fn();
    const { container } = render(<SdlView sdl={SDL} onSelectType={onSelect} />);
    const links = [...container.querySelectorAll("a.sdl-type")].map((a) => a.textContent);
    expect(links).toEqual(["Product", "Review"]);
    fireEvent.click(screen.getByText("Review", { selector: "a" }));
    expect(onSelect).toHaveBeenCalledWith("Review");
  });

  it("filters definitions by the search and highlights the hits", () => {
    const { container } = render(<SdlView sdl={SDL} query="body" />);
    expect(screen.getByTestId("sdl-count")).toHaveTextContent("1 of 3 definitions match");
    expect([...container.querySelectorAll("[data-definition]")].map((e) => e.getAttribute("data-definition"))).toEqual(["Review"]);
    expect(container.querySelector(".sdl-match")?.textContent).toBe("body");
  });
});

describe("ChangeList", () => {
  it("lists breaking changes first, with the operations and clients that use them", () => {
    const { container } = render(
      <ChangeList
        changes={[
          { type: "FIELD_ADDED", severity: "SAFE", path: "Product.sku", message: "Field Product.sku was added.", breaking: false },
          {
            type: "FIELD_REMOVED", severity: "BREAKING", path: "Product.weight", message: "Field Product.weight was removed.", breaking: true,
            usage: { requests: 1200, operations: [{ hash: "abcdef0123456789", name: "ShippingCost", clients: [{ name: "web", version: "1.2" }] }] },
          },
          { type: "FIELD_REMOVED", severity: "BREAKING", path: "Product.old", message: "Field Product.old was removed.", breaking: true, usage: { requests: 0, operations: [] }, safe: true },
        ]}
      />,
    );
    const items = container.querySelectorAll("li");
    expect(items[0]).toHaveTextContent("Field Product.weight was removed.");
    expect(items[0]).toHaveTextContent("1.2k requests in the window, by ShippingCost (web 1.2)");
    expect(items[1]).toHaveTextContent("BREAKING (unused)");
    expect(items[1]).toHaveTextContent("safe to ship");
    expect(items[2]).toHaveTextContent("SAFE");
  });
  it("says when there is nothing", () => {
    render(<ChangeList changes={[]} />);
    expect(screen.getByText("No changes.")).toBeTruthy();
  });
});

describe("small components", () => {
  it("status badges say what the state is", () => {
    render(<StatusBadge status="stale" />);
    expect(screen.getByText("Stale").getAttribute("data-status")).toBe("stale");
  });
  it("sparklines scale to the largest value and need two points", () => {
    const { container, rerender } = render(<Sparkline values={[0, 10, 5]} width={100} height={20} />);
    const points = container.querySelector(".sparkline-line")!.getAttribute("points")!;
    expect(points).toBe("0.0,18.0 50.0,2.0 100.0,10.0");
    rerender(<Sparkline values={[3]} />);
    expect(container.querySelector("svg")).toBeNull();
  });
  it("a destructive button asks before acting", () => {
    const onConfirm = vi.fn();
    render(<ConfirmButton confirm="Revoke edge?" onConfirm={onConfirm}>Revoke</ConfirmButton>);
    fireEvent.click(screen.getByRole("button", { name: "Revoke" }));
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "No" }));
    fireEvent.click(screen.getByRole("button", { name: "Revoke" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes" }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
  it("errors show a title and the server's message, and a retry unless unsupported", () => {
    const retry = vi.fn();
    const { rerender } = render(<ErrorView error={new ApiError(503, "UNAVAILABLE", "database is locked")} onRetry={retry} />);
    expect(screen.getByRole("alert")).toHaveTextContent("database is locked");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalled();
    rerender(<ErrorView error={new ApiError(404, "NOT_FOUND", "no such path: /v1/usage")} onRetry={retry} />);
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });
});
