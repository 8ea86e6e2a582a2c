import { type AnchorHTMLAttributes, createContext, type ReactNode, useContext, useEffect, useState } from 'react';

/** The console lives under this path on the server (which answers index.html for any path below it). */
export const BASE_PATH = '/console';

interface Location {
  path: string;
  search: URLSearchParams;
}

const read = (): Location => ({
  path: window.location.pathname.startsWith(BASE_PATH) ? window.location.pathname.slice(BASE_PATH.length) || '/' : '/',
  search: new URLSearchParams(window.location.search),
});

const RouterContext = createContext<Location>(read());

/** A few lines of history routing instead of a router library: the console has a flat list of screens. */
export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    window.addEventListener('console:navigate', update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener('console:navigate', update);
    };
  }, []);
  return <RouterContext.Provider value={location}>{children}</RouterContext.Provider>;
}

export const useLocation = (): Location => useContext(RouterContext);

/** Goes to a console path ("/balances", "/top-up?amount=100"). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE_PATH}${to}`;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event('console:navigate'));
}

/** The console's own URL for a path, absolute (a top-up's returnUrl). */
export const consoleUrl = (to: string): string => `${window.location.origin}${BASE_PATH}${to}`;

export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { path } = useLocation();
  return (
    <a
      {...rest}
      href={`${BASE_PATH}${to}`}
      aria-current={path === to ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
