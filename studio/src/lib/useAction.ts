import { useCallback, useState } from "react";

export interface Action {
  busy: boolean;
  error: unknown;
  // Runs `f` with `busy` set; keeps its error for display. True when `f` succeeded.
  run: (f: () => Promise<unknown>) => Promise<boolean>;
}

// The state of a user action (a form submit, a button): busy while it runs, its error after.
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
