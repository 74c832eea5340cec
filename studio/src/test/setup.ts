import { afterEach, expect, vi } from "vitest";
import { cleanup, configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 10_000 });

// The one DOM matcher the tests use (without pulling in a matcher library).
expect.extend({
  toHaveTextContent(received: Element, expected: string) {
    const text = (received?.textContent ?? "").replace(/\s+/g, " ");
    return {
      pass: text.includes(expected),
      message: () => `expected element text ${JSON.stringify(text)} to contain ${JSON.stringify(expected)}`,
    };
  },
});

declare module "vitest" {
  interface Assertion {
    toHaveTextContent(expected: string): void;
  }
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});
