import type { CombinedError } from 'urql';

/** The stable code the API gave (extensions.code), or null for a network failure. */
export function errorCodeOf(error: CombinedError | undefined | null): string | null {
  const code = error?.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : null;
}

/** The API's own message (it is written for people), or the network's. */
export function errorMessageOf(error: CombinedError): string {
  return error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message;
}

/** An operation's error as the API worded it, with its code for support. */
export function ErrorMessage({ error }: { error: CombinedError | undefined | null }) {
  if (!error) return null;
  const code = errorCodeOf(error);
  return (
    <p className="error" role="alert">
      {errorMessageOf(error)}
      {code && <code className="error-code"> {code}</code>}
    </p>
  );
}
