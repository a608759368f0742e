import type { ReactElement } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { NotAllowed } from './NotAllowed';

/**
 * A section of the app with its own sub-navigation: the screens the person may use, the first
 * of them at the section's own address, and the refusal page for any other. Which screens show
 * mirrors the server's rules; the server still decides every request.
 */
export function SectionScreens<P extends string>({
  name,
  base,
  sections,
  screens,
}: {
  name: string;
  base: string;
  sections: readonly { path: P; label: string }[];
  screens: Record<P, ReactElement>;
}) {
  return (
    <>
      <nav className="sub-nav" aria-label={name}>
        <ul>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={`${base}/${s.path}`}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        {sections.length > 0 && <Route index element={<Navigate to={sections[0]!.path} replace />} />}
        {sections.map((s) => (
          <Route key={s.path} path={`${s.path}/*`} element={screens[s.path]} />
        ))}
        <Route path="*" element={<NotAllowed title={name} message="This screen is not open to your role" action="see this screen" />} />
      </Routes>
    </>
  );
}
