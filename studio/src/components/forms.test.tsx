import { describe, expect, it } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { FormCard, RoleSelect } from "./forms";
import { useAction } from "../lib/useAction";
import { ApiError } from "../lib/errors";

// A form whose action waits for the test to settle it.
function Harness({ settle }: { settle: { resolve?: () => void; reject?: (e: unknown) => void } }) {
  const action = useAction();
  const [done, setDone] = useState(0);
  const submit = async () => {
    const ok = await action.run(() => new Promise<void>((resolve, reject) => Object.assign(settle, { resolve, reject })));
    if (ok) setDone((n) => n + 1);
  };
  return (
    <FormCard label="Thing" title="Make a thing" action={action} submit="Make" busySubmit="Making…" onSubmit={() => void submit()}>
      <span data-testid="done">{done}</span>
    </FormCard>
  );
}

describe("FormCard with useAction", () => {
  it("disables the button while the action runs and counts a success", async () => {
    const settle: { resolve?: () => void } = {};
    render(<Harness settle={settle} />);
    fireEvent.submit(screen.getByRole("form", { name: "Thing" }));
    expect((screen.getByRole("button", { name: "Making…" }) as HTMLButtonElement).disabled).toBe(true);
    await act(async () => settle.resolve!());
    expect((screen.getByRole("button", { name: "Make" }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId("done")).toHaveTextContent("1");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows the API's error after a failure and clears it on the next try", async () => {
    const settle: { resolve?: () => void; reject?: (e: unknown) => void } = {};
    const { container } = render(<Harness settle={settle} />);
    fireEvent.submit(screen.getByRole("form", { name: "Thing" }));
    await act(async () => settle.reject!(new ApiError(409, "ALREADY_EXISTS", "a graph token named ci exists")));
    expect(container).toHaveTextContent("a graph token named ci exists");
    expect(screen.getByTestId("done")).toHaveTextContent("0");
    fireEvent.submit(screen.getByRole("form", { name: "Thing" }));
    expect(container).not.toHaveTextContent("a graph token named ci exists");
    await act(async () => settle.resolve!());
    expect(screen.getByTestId("done")).toHaveTextContent("1");
  });
});

describe("RoleSelect", () => {
  it("is a form field, or marked as mutating when choosing changes something at once", () => {
    const { container } = render(
      <>
        <RoleSelect value="viewer" onChange={() => {}} />
        <RoleSelect value="admin" label="Role of a@example.com" mutating onChange={() => {}} />
      </>,
    );
    const [field, inline] = [...container.querySelectorAll("select")];
    expect(field.getAttribute("name")).toBe("role");
    expect(field.hasAttribute("data-mutating")).toBe(false);
    expect(inline.getAttribute("name")).toBeNull();
    expect(inline.hasAttribute("data-mutating")).toBe(true);
    expect([...inline.querySelectorAll("option")].map((o) => o.textContent)).toEqual(["viewer", "developer", "admin"]);
  });
});
