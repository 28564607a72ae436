import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { DiscardChanges } from './DiscardChanges';

/**
 * Forms on the page with changes not yet saved, so that leaving them by switching tab asks first (the same
 * question as closing a form). A form registers with useUnsavedChanges; navigation goes through
 * useLeaveGuard. Discarding calls each form's reset, so the next switch does not ask again.
 */
interface Registry {
  set(key: string, reset: (() => void) | null): void;
  leave(go: () => void): void;
}

const UnsavedChanges = createContext<Registry | null>(null);

export function UnsavedChangesProvider(props: { children: ReactNode }) {
  const dirty = useRef(new Map<string, () => void>());
  const [pending, setPending] = useState<(() => void) | null>(null);
  const registry = useMemo<Registry>(
    () => ({
      set: (key, reset) => {
        if (reset) dirty.current.set(key, reset);
        else dirty.current.delete(key);
      },
      leave: (go) => {
        if (dirty.current.size === 0) go();
        else setPending(() => go);
      },
    }),
    [],
  );
  return (
    <UnsavedChanges.Provider value={registry}>
      {props.children}
      <DiscardChanges
        isOpen={pending !== null}
        onKeepEditing={() => setPending(null)}
        onDiscard={() => {
          const resets = [...dirty.current.values()];
          dirty.current.clear();
          resets.forEach((reset) => reset());
          pending?.();
          setPending(null);
        }}
      />
    </UnsavedChanges.Provider>
  );
}

/** Marks this form as holding changes while `dirty`; `reset` puts it back as it was when discarded. */
export function useUnsavedChanges(dirty: boolean, reset: () => void): void {
  const registry = useContext(UnsavedChanges);
  const key = useId();
  const latestReset = useRef(reset);
  latestReset.current = reset;
  useEffect(() => {
    registry?.set(key, dirty ? () => latestReset.current() : null);
    return () => registry?.set(key, null);
  }, [registry, key, dirty]);
}

/** Runs `go` (a tab switch) now, or after the admin agrees to discard what forms hold. */
export function useLeaveGuard(): (go: () => void) => void {
  const registry = useContext(UnsavedChanges);
  return useCallback((go: () => void) => (registry ? registry.leave(go) : go()), [registry]);
}
