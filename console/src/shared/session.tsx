import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { ViewerDocument, type ViewerQuery } from '../gql/graphql';
import { createConsoleClient } from './client';
import type { ConsoleSettings } from './settings';

export type Viewer = ViewerQuery['me'];

interface Session {
  token: string;
  viewer: Viewer;
  /** The signed-in account's id (every screen of a customer or partner user has one). */
  accountId: string;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

const STORAGE_KEY = 'console.token';

/**
 * The token lives in sessionStorage: it survives the provider pages and the return to the console
 * (same tab) and is gone when the tab closes. Everything below renders only once `me` answered.
 */
export function SessionProvider(props: {
  settings: ConsoleSettings;
  signIn(signIn: (token: string) => void, error: string | null): ReactNode;
  children: ReactNode;
}) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(STORAGE_KEY));
  const [error, setError] = useState<string | null>(null);
  const signIn = useCallback((given: string) => {
    const trimmed = given.trim().replace(/^Bearer\s+/i, '');
    sessionStorage.setItem(STORAGE_KEY, trimmed);
    setError(null);
    setToken(trimmed);
  }, []);
  const signOut = useCallback((reason: string | null) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setError(reason);
    setToken(null);
  }, []);
  const connection = useMemo(
    () => (token ? createConsoleClient({ graphqlPath: props.settings.graphqlPath, token, onUnauthenticated: signOut }) : null),
    [token, props.settings.graphqlPath, signOut],
  );
  useEffect(() => () => connection?.dispose(), [connection]);
  if (!token || !connection) return <>{props.signIn(signIn, error)}</>;
  return (
    <Provider value={connection.client}>
      <SignedIn token={token} onRefused={signOut}>
        {props.children}
      </SignedIn>
    </Provider>
  );
}

function SignedIn({ token, onRefused, children }: { token: string; onRefused(reason: string | null): void; children: ReactNode }) {
  const [{ data, error }] = useQuery({ query: ViewerDocument, requestPolicy: 'network-only' });
  useEffect(() => {
    if (error) onRefused(error.graphQLErrors[0]?.message ?? error.message);
  }, [error, onRefused]);
  const session = useMemo<Session | null>(
    () => (data ? { token, viewer: data.me, accountId: data.me.account?.id ?? '', signOut: () => onRefused(null) } : null),
    [data, token, onRefused],
  );
  if (!session) return <p className="loading">…</p>;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
