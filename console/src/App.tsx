import { useEffect } from 'react';
import { customerRoutes } from './customer/routes';
import { partnerRoutes } from './partner/routes';
import { fill, LanguageProvider, LanguageSwitch, useLanguage, useMessages } from './shared/i18n';
import { sharedMessages } from './shared/messages';
import { Link, navigate, RouterProvider, useLocation } from './shared/router';
import type { ConsoleRoute } from './shared/routes';
import { SessionProvider, useSession } from './shared/session';
import type { ConsoleSettings } from './shared/settings';
import { SignIn } from './shared/SignIn';

/** Every screen: the customer area's, then the partner area's. */
const ROUTES: readonly ConsoleRoute[] = [...customerRoutes, ...partnerRoutes];

export function App({ settings }: { settings: ConsoleSettings }) {
  return (
    <LanguageProvider>
      <RouterProvider>
        <SessionProvider settings={settings} signIn={(onSignIn, error) => <SignIn demoSignIns={settings.demoSignIns} onSignIn={onSignIn} error={error} />}>
          <Layout />
        </SessionProvider>
      </RouterProvider>
    </LanguageProvider>
  );
}

/** Header (account, language, sign out), the navigation of the screens this user may see, and the screen. */
function Layout() {
  const text = useMessages(sharedMessages);
  const { language } = useLanguage();
  const { viewer, signOut } = useSession();
  const { path } = useLocation();
  const visible = ROUTES.filter((route) => route.visible(viewer));
  const current = visible.find((route) => route.path === path);
  const home = visible.find((route) => !route.hidden);
  useEffect(() => {
    if (path === '/' && home) navigate(home.path, { replace: true });
  }, [path, home]);
  const Screen = current?.element;
  return (
    <div className="layout">
      <header className="top-bar">
        <strong className="brand">{text.consoleTitle}</strong>
        <span className="account" data-testid="account-name">
          {viewer.account?.name ?? viewer.subject}
        </span>
        <span className="who">{fill(text.signedInAs, { subject: viewer.subject, role: viewer.role ?? viewer.scopes.join(', ') })}</span>
        <LanguageSwitch />
        <button type="button" onClick={signOut}>
          {text.signOut}
        </button>
      </header>
      <nav className="side-nav" aria-label="Console">
        <ul>
          {visible
            .filter((route) => !route.hidden)
            .map((route) => (
              <li key={route.path}>
                <Link to={route.path}>{route.label[language]}</Link>
              </li>
            ))}
        </ul>
      </nav>
      <main className="screen">{Screen ? <Screen /> : path !== '/' && <p>{text.notFound}</p>}</main>
    </div>
  );
}
