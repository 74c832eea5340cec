import { useEffect, useMemo, useRef } from "react";
import { definedTypeNames, searchDefinitions, searchWords, splitDefinitions, tokenizeLine } from "../lib/sdl";

// A schema, definition by definition: type names link to their definition, search filters the
// definitions and highlights the words. `selected` is the type to scroll to (from the URL).
export function SdlView({
  sdl,
  query = "",
  selected,
  onSelectType,
}: {
  sdl: string;
  query?: string;
  selected?: string | null;
  onSelectType?: (name: string) => void;
}) {
  const defs = useMemo(() => splitDefinitions(sdl), [sdl]);
  const names = useMemo(() => definedTypeNames(defs), [defs]);
  const shown = useMemo(() => searchDefinitions(defs, query), [defs, query]);
  const words = useMemo(() => searchWords(query), [query]);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!selected || !root.current) return;
    const el = root.current.querySelector(`[data-definition="${CSS.escape(selected)}"]`);
    if (el && "scrollIntoView" in el) (el as HTMLElement).scrollIntoView({ block: "start" });
  }, [selected, shown]);

  if (defs.length === 0) return <pre className="sdl">{sdl}</pre>;
  return (
    <div className="sdl-view" ref={root}>
      {query ? (
        <div className="muted sdl-count" data-testid="sdl-count">
          {shown.length} of {defs.length} definitions match “{query}”
        </div>
      ) : null}
      {shown.map((d, i) => (
        <pre
          key={`${d.name}-${d.line}-${i}`}
          className={`sdl${selected && d.name === selected ? " sdl-selected" : ""}`}
          data-definition={d.name}
          id={d.name ? `def-${d.name}` : undefined}
        >
          {d.text.split("\n").map((line, li) => (
            <div key={li} className="sdl-line">
              {tokenizeLine(line, names, words).map((t, ti) => {
                const cls = t.match ? "sdl-match" : undefined;
                if (t.typeRef && t.typeRef !== d.name)
                  return (
                    <a
                      key={ti}
                      href={`?type=${encodeURIComponent(t.typeRef)}`}
                      className={`sdl-type${cls ? ` ${cls}` : ""}`}
                      onClick={(e) => {
                        if (!onSelectType) return;
                        e.preventDefault();
                        onSelectType(t.typeRef!);
                      }}
                    >
                      {t.text}
                    </a>
                  );
                return (
                  <span key={ti} className={cls}>
                    {t.text}
                  </span>
                );
              })}
            </div>
          ))}
        </pre>
      ))}
    </div>
  );
}
