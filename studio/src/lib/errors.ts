// Errors of the control plane's API and how Studio words them for people.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// Builds an ApiError from an HTTP answer: the API's {"error":{code,message,details}} when the body
// has it, else a code derived from the status (proxies, the HTTP layer's plain-text 413, ...).
export function apiErrorFrom(status: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const e = parsed?.error;
    if (e && typeof e.code === "string") {
      return new ApiError(status, e.code, typeof e.message === "string" ? e.message : e.code, e.details ?? null);
    }
  } catch {
    // not JSON: fall through
  }
  const text = body.trim().slice(0, 300);
  return new ApiError(status, codeForStatus(status), text || `HTTP ${status}`);
}

export function codeForStatus(status: number): string {
  switch (status) {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 409: return "FAILED_PRECONDITION";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 422: return "COMPOSITION_FAILED";
    case 429: return "RESOURCE_EXHAUSTED";
    case 503: return "UNAVAILABLE";
    default: return status >= 500 ? "INTERNAL" : "UNKNOWN";
  }
}

export interface ReadableError {
  title: string;
  detail: string;
  // True when the part of the API the page needs is not offered by this control plane.
  unsupported: boolean;
}

// What a person sees for an error: a short title and the server's own message as detail.
export function readableError(error: unknown): ReadableError {
  if (error instanceof ApiError) {
    const detail = error.message;
    switch (error.code) {
      case "UNAUTHENTICATED":
        return { title: "You are not signed in, or your session has ended", detail, unsupported: false };
      case "PERMISSION_DENIED":
        return { title: "Your role may not do this", detail, unsupported: false };
      case "CSRF_TOKEN_INVALID":
        return { title: "The page's security token is no longer valid — reload the page", detail, unsupported: false };
      case "NOT_FOUND":
        if (/no such path/i.test(detail) || error.status === 405)
          return { title: "This control plane does not offer this yet", detail, unsupported: true };
        return { title: "Not found", detail, unsupported: false };
      case "METHOD_NOT_ALLOWED":
        return { title: "This control plane does not offer this yet", detail, unsupported: true };
      case "ALREADY_EXISTS":
        return { title: "That name is already taken", detail, unsupported: false };
      case "FAILED_PRECONDITION":
        return { title: "Not possible in the current state", detail, unsupported: false };
      case "INVALID_ARGUMENT":
      case "INVALID_JSON":
        return { title: "Invalid input", detail, unsupported: false };
      case "COMPOSITION_FAILED":
        return { title: "Stored, but a graph did not compose", detail, unsupported: false };
      case "PAYLOAD_TOO_LARGE":
        return { title: "Too large", detail, unsupported: false };
      case "RESOURCE_EXHAUSTED":
        return { title: "Too many attempts — wait a moment and try again", detail, unsupported: false };
      case "UNAVAILABLE":
        return { title: "The control plane's database is unavailable — try again", detail, unsupported: false };
      case "INTERNAL":
        return { title: "The control plane failed (internal error)", detail, unsupported: false };
      default:
        return { title: `Request failed (${error.code})`, detail, unsupported: false };
    }
  }
  if (error instanceof TypeError) {
    return { title: "Cannot reach the control plane", detail: error.message, unsupported: false };
  }
  if (error instanceof Error) return { title: "Something went wrong", detail: error.message, unsupported: false };
  return { title: "Something went wrong", detail: String(error), unsupported: false };
}
