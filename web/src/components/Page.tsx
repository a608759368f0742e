import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';

/**
 * A page's title and heading. After an in-app navigation the heading takes focus, so screen
 * reader users hear where they are; on the first load focus stays put for the skip link.
 */
export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { key, pathname } = useLocation();
  useEffect(() => {
    document.title = `${title} – Tutela`;
  }, [title]);
  useEffect(() => {
    // The router names the page the browser opened 'default'; every later one was navigated to.
    // Changing only the query (typing in a search box) must not move focus.
    if (key !== 'default') heading.current?.focus();
  }, [pathname]);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </>
  );
}
