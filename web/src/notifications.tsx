import { createContext, useContext, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { api } from './api';
import { useApi } from './components/hooks';

interface UnreadState {
  /** Unread notifications, or null before the first answer (or after a failed one). */
  unread: number | null;
  refresh: () => void;
}

const UnreadContext = createContext<UnreadState>({ unread: null, refresh: () => {} });

/**
 * The signed-in person's unread count for the header. It is fetched on each page change rather
 * than polled: a poll would keep an unattended session awake on the server.
 */
export function UnreadProvider({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  // The count is a convenience: a failure leaves it out, and the page itself shows the error.
  const list = useApi(() => api.notifications(), [pathname]);
  const unread = list.error || !list.data ? null : list.data.filter((n) => !n.readAt).length;
  return <UnreadContext.Provider value={{ unread, refresh: list.reload }}>{children}</UnreadContext.Provider>;
}

export const useUnread = () => useContext(UnreadContext);
