import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api } from './api';
import { useApi } from './components/hooks';
import { useMe } from './session';
import type { School } from './types';

interface SchoolChoice {
  /** The trust's schools, for a trust administrator; null for everyone else or while loading. */
  schools: School[] | null;
  /** The school the directory pages show; always the person's own unless they are a trust administrator. */
  current: { id: string; name: string };
  /**
   * What to send as `schoolId`: undefined means "my own school", so the server decides for
   * everyone who cannot choose.
   */
  schoolId: string | undefined;
  choose: (id: string) => void;
  reload: () => void;
}

const SchoolContext = createContext<SchoolChoice | null>(null);

export function useSchool(): SchoolChoice {
  const choice = useContext(SchoolContext);
  if (!choice) throw new Error('useSchool outside <SchoolProvider>');
  return choice;
}

export const isTrustAdmin = (roles: readonly string[]) => roles.includes('trust_admin');

/**
 * The chosen school is kept per tab (sessionStorage) so a reload keeps it and a new tab starts
 * at home; the key names the user so the next person to sign in on this tab starts at theirs.
 */
export function SchoolProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const canChoose = isTrustAdmin(me.roles);
  const storageKey = `tutela.school.${me.username}`;
  const [chosen, setChosen] = useState<string | null>(() => (canChoose ? readStored(storageKey) : null));
  const list = useApi(() => (canChoose ? api.schools() : Promise.resolve(null)), [canChoose]);
  // Without the list the picker stays hidden and the person works in their own school.
  const schools = list.data ?? (list.error ? [] : null);

  const choose = useCallback(
    (id: string) => {
      setChosen(id);
      try {
        window.sessionStorage.setItem(storageKey, id);
      } catch {
        // Storage can be refused (private browsing); the choice still holds until reload.
      }
    },
    [storageKey],
  );

  const value = useMemo<SchoolChoice>(() => {
    // Until the list arrives the stored choice is trusted, so a reload does not flash the home
    // school first; once it arrives, an id no longer in the list is dropped.
    const picked = canChoose && schools ? schools.find((s) => s.id === chosen) : undefined;
    const pending = canChoose && schools === null && chosen ? chosen : undefined;
    const current = picked ?? me.school;
    const id = picked?.id ?? pending;
    return {
      schools: canChoose ? schools : null,
      current: { id: current.id, name: current.name },
      schoolId: id && id !== me.school.id ? id : undefined,
      choose,
      reload: list.reload,
    };
  }, [canChoose, schools, chosen, me.school, choose, list.reload]);

  return <SchoolContext.Provider value={value}>{children}</SchoolContext.Provider>;
}

function readStored(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null;
  }
}
