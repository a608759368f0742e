import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

interface Announcer {
  message: string;
  announce: (message: string) => void;
  dismiss: () => void;
}

const AnnounceContext = createContext<Announcer>({ message: '', announce: () => undefined, dismiss: () => undefined });

/** Confirmations ("Roles saved") go to one polite live region that is always in the page. */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clearing first makes a repeated identical message be read again.
    setMessage('');
    window.setTimeout(() => setMessage(text), 50);
  }, []);
  const dismiss = useCallback(() => setMessage(''), []);
  return <AnnounceContext.Provider value={{ message, announce, dismiss }}>{children}</AnnounceContext.Provider>;
}

export const useAnnounce = () => useContext(AnnounceContext).announce;

/** The live region itself; it stays in the page even when empty, or screen readers miss the first message. */
export function StatusBar() {
  const { message, dismiss } = useContext(AnnounceContext);
  return (
    <div className="status-bar" role="status" aria-live="polite" aria-atomic="true" hidden={!message}>
      <span>{message}</span>
      {message && (
        <button type="button" className="link-button" onClick={dismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
