import { type FormEvent, useState } from 'react';
import { fill, LanguageSwitch, useMessages } from './i18n';
import { sharedMessages } from './messages';
import type { DemoSignIn } from './settings';

/**
 * Sign-in by token (docs/decisions/0252-console-sign-in.md): the console holds no password and runs
 * no login flow of its own; a person pastes the bearer token their identity provider issued. The
 * embedded demo lists its principals with fresh tokens, one click each.
 */
export function SignIn({ demoSignIns, onSignIn, error }: { demoSignIns: DemoSignIn[]; onSignIn(token: string): void; error: string | null }) {
  const text = useMessages(sharedMessages);
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignIn(token);
  };
  return (
    <main className="sign-in">
      <header className="sign-in-header">
        <h1>{text.consoleTitle}</h1>
        <LanguageSwitch />
      </header>
      <form onSubmit={submit}>
        <p>{text.signInIntro}</p>
        <label>
          {text.tokenLabel}
          <textarea name="token" rows={4} value={token} onChange={(event) => setToken(event.target.value)} spellCheck={false} />
        </label>
        {error && (
          <p className="error" role="alert">
            {fill(text.signInFailed, { message: error })}
          </p>
        )}
        <button type="submit" className="primary">
          {text.signIn}
        </button>
      </form>
      {demoSignIns.length > 0 && (
        <section className="demo-sign-ins">
          <h2>{text.demoSignIns}</h2>
          <ul>
            {demoSignIns.map((demo) => (
              <li key={demo.label}>
                <button type="button" onClick={() => onSignIn(demo.token)}>
                  {demo.label}
                </button>
                {demo.accountId && <code> {demo.accountId}</code>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
