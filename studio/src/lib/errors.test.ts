import { describe, expect, it } from "vitest";
import { ApiError, apiErrorFrom, readableError } from "./errors";

describe("apiErrorFrom", () => {
  it("reads the API's error shape", () => {
    const e = apiErrorFrom(409, '{"error":{"code":"ALREADY_EXISTS","message":"graph shop already exists","details":null}}');
    expect(e.code).toBe("ALREADY_EXISTS");
    expect(e.message).toBe("graph shop already exists");
    expect(e.status).toBe(409);
  });
  it("keeps details (a failed publish's result)", () => {
    const e = apiErrorFrom(422, '{"error":{"code":"COMPOSITION_FAILED","message":"m","details":{"compositions":[]}}}');
    expect(e.details).toEqual({ compositions: [] });
  });
  it("derives a code from the status for non-API bodies", () => {
    expect(apiErrorFrom(413, "request body too large").code).toBe("PAYLOAD_TOO_LARGE");
    expect(apiErrorFrom(502, "").message).toBe("HTTP 502");
    expect(apiErrorFrom(502, "<html>bad gateway</html>").code).toBe("INTERNAL");
    expect(apiErrorFrom(429, "{}").code).toBe("RESOURCE_EXHAUSTED");
  });
});

describe("readableError", () => {
  it("words the API's codes for people", () => {
    expect(readableError(new ApiError(403, "PERMISSION_DENIED", "role viewer may not create graphs")).title).toBe("Your role may not do this");
    expect(readableError(new ApiError(403, "CSRF_TOKEN_INVALID", "x")).title).toMatch(/reload the page/);
    expect(readableError(new ApiError(401, "UNAUTHENTICATED", "x")).title).toMatch(/not signed in/);
    expect(readableError(new ApiError(409, "ALREADY_EXISTS", "graph shop exists")).detail).toBe("graph shop exists");
  });
  it("tells a missing endpoint from a missing object", () => {
    expect(readableError(new ApiError(404, "NOT_FOUND", "no such path: /v1/usage")).unsupported).toBe(true);
    expect(readableError(new ApiError(404, "NOT_FOUND", "no graph shop in namespace default")).unsupported).toBe(false);
    expect(readableError(new ApiError(405, "METHOD_NOT_ALLOWED", "GET not allowed")).unsupported).toBe(true);
  });
  it("handles network failures and other throwables", () => {
    expect(readableError(new TypeError("Failed to fetch")).title).toBe("Cannot reach the control plane");
    expect(readableError(new Error("boom")).detail).toBe("boom");
    expect(readableError("odd").detail).toBe("odd");
  });
});
