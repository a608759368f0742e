import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Link, NavLink, useLocation } from 'react-router-dom';
import { navFor } from '../features';
import { useUnread } from '../notifications';
import { StatusBar } from './Announcer';
import { roleLabel } from '../labels';
import { useSchool } from '../school';
import { useAuth, useMe } from '../session';

/** The frame of every signed-in page: skip link, header, navigation and main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const me = useMe();
  const school = useSchool();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const navId = useId();

  const menuButton = useRef<HTMLButtonElement>(null);

  // On a phone the menu covers the page; choosing a destination should reveal it again.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="header-bar">
          <Link className="brand" to="/" aria-label="Tutela home">
            Tutela
          </Link>
          <span className="school-name">{school.current.name}</span>
          <AccountBar className="header-account" />
          <button
            type="button"
            className="menu-button"
            ref={menuButton}
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            Menu
          </button>
        </div>
        <SchoolPicker />
        <nav id={navId} className={`site-nav${menuOpen ? ' open' : ''}`} aria-label="Main">
          <ul>
            {navFor(me).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
          <AccountBar className="nav-account" />
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
        <StatusBar />
      </main>
      <footer className="site-footer">
        <p>Tutela is open-source software for keeping pupils safe online.</p>
      </footer>
    </>
  );
}

/** Shown in the header on wide screens and inside the folded menu on phones; CSS shows one. */
function AccountBar({ className }: { className: string }) {
  const me = useMe();
  const { signOut } = useAuth();
  const { unread } = useUnread();
  return (
    <div className={`account-bar ${className}`}>
      <span>
        Signed in as <strong>{me.displayName}</strong>
        <span className="visually-hidden"> ({me.roles.map(roleLabel).join(', ')})</span>
      </span>
      <NavLink to="/notifications">
        Notifications
        {unread ? ` (${unread} unread)` : ''}
      </NavLink>
      <NavLink to="/account">My account</NavLink>
      <button type="button" className="link-button on-dark" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}

/**
 * A trust administrator works in one school at a time; the choice applies to the directory
 * pages. It sits outside the folding menu so a phone shows which school is in view.
 */
function SchoolPicker() {
  const { schools, current, choose } = useSchool();
  const id = useId();
  if (!schools || schools.length < 2) return null;
  return (
    <div className="school-bar">
      <label htmlFor={id}>School</label>
      <select id={id} value={current.id} onChange={(e) => choose(e.target.value)}>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}
