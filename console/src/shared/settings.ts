/** A demo principal the embedded demo offers on the sign-in page, with a fresh token. */
export interface DemoSignIn {
  label: string;
  accountId: string | null;
  token: string;
}

/** What the server writes into index.html for this page load (src/server/console.ts). */
export interface ConsoleSettings {
  graphqlPath: string;
  demoSignIns: DemoSignIn[];
}

export function readSettings(): ConsoleSettings {
  const element = document.getElementById('console-settings');
  const given = element?.textContent ? (JSON.parse(element.textContent) as Partial<ConsoleSettings>) : {};
  return { graphqlPath: given.graphqlPath ?? '/graphql', demoSignIns: given.demoSignIns ?? [] };
}
