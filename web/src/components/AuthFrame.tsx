import type { ReactNode } from 'react';

/** The plain frame of the sign-in, two-step and lock screens, before there is any navigation. */
export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <div className="header-bar">
          <span className="brand">Tutela</span>
          <span className="school-name">Online safety for your school</span>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="auth-main">
        <div className="auth-card">{children}</div>
      </main>
    </>
  );
}
