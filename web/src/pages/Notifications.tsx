import { Link, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { ErrorNotice } from '../components/ErrorNotice';
import { Page } from '../components/Page';
import { useApi } from '../components/hooks';
import { useUnread } from '../notifications';
import { useChange } from './filtering/parts';
import type { AppNotification } from '../types';

const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** Only a path inside Tutela is followed; anything else is shown as text. */
const isInternal = (link: string | null): link is string => !!link && link.startsWith('/') && !link.startsWith('//');

/** The signed-in person's notifications: filter alerts, unblock requests to decide, decisions on theirs. */
export function Notifications() {
  const list = useApi(() => api.notifications(), []);
  const { refresh } = useUnread();
  const { error, run } = useChange();
  const navigate = useNavigate();

  const markRead = async (n: AppNotification) => {
    if (await run(() => api.markNotificationRead(n.id), `Marked read: ${n.title}.`)) {
      list.reload();
      refresh();
    }
  };
  // Following a link reads the notification; the page opens even if marking it fails.
  const follow = async (n: AppNotification, link: string) => {
    if (!n.readAt) await api.markNotificationRead(n.id).catch(() => undefined);
    refresh();
    navigate(link);
  };

  return (
    <Page title="Notifications" lead="Unread first, newest first.">
      <ErrorNotice error={error} action="mark the notification read" />
      {list.error ? (
        <ErrorNotice error={list.error} />
      ) : !list.data ? (
        <p role="status">Loading notifications…</p>
      ) : list.data.length === 0 ? (
        <p>You have no notifications.</p>
      ) : (
        <ul className="plain-list request-list" aria-label="Notifications">
          {list.data.map((n) => (
            <li key={n.id} className="card" aria-label={`${n.readAt ? 'Read' : 'Unread'}: ${n.title}`}>
              <h2>
                {!n.readAt && <span className="badge badge-warn">New</span>} {n.title}
              </h2>
              <p className="hint">{when(n.createdAt)}</p>
              <p style={{ whiteSpace: 'pre-line' }}>{n.body}</p>
              <div className="button-row compact">
                {isInternal(n.link) && (
                  <Link
                    to={n.link}
                    aria-label={`Open: ${n.title}`}
                    onClick={(e) => {
                      e.preventDefault();
                      void follow(n, n.link as string);
                    }}
                  >
                    Open
                  </Link>
                )}
                {!n.readAt && (
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Mark as read: ${n.title}`}
                    onClick={() => void markRead(n)}
                  >
                    Mark as read
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
