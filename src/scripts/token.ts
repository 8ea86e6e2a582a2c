import 'reflect-metadata';
import { Role, Scope } from '../auth/principal';
import { signToken } from '../auth/jwt';
import { loadConfig } from '../config';
import { commandLine, runScript } from './cli';

const USAGE = `
Usage: npm run -s token -- --account <id> [--role OWNER|BILLING_ADMIN|VIEWER] [options]
       npm run -s token -- --scope admin|usage:write [options]

Prints a signed development token (HS256 with JWT_SECRET, or the development secret).
  --account <id>      a user of this account (role OWNER unless --role says otherwise)
  --role <role>       OWNER, BILLING_ADMIN or VIEWER
  --scope <scope>     admin (the platform admin) or usage:write (the metering service); repeatable
  --subject <sub>     the token's subject (default: <account>-<role>, or service-<scopes>)
  --expires <time>    lifetime, e.g. 30m, 12h, 7d (default 12h)
  -h, --help          this text
`;

/**
 * Prints a signed development token:
 *   npm run token -- --account demo-customer --role OWNER
 *   npm run token -- --scope admin
 */
async function main(): Promise<void> {
  const values = commandLine(USAGE, {
    account: { type: 'string' },
    role: { type: 'string' },
    scope: { type: 'string', multiple: true },
    subject: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  });
  const config = loadConfig();
  if (!config.auth.hmacSecret) throw new Error('Tokens can only be signed with an HS256 secret (JWT_SECRET or the development default).');
  const scopes = (values.scope ?? []).map((scope) => {
    if (!(Object.values(Scope) as string[]).includes(scope)) throw new Error(`--scope must be one of ${Object.values(Scope).join(', ')}`);
    return scope as Scope;
  });
  let role: Role | undefined;
  if (values.account) {
    role = (values.role ?? 'OWNER').toUpperCase() as Role;
    if (!Object.values(Role).includes(role)) throw new Error(`--role must be one of ${Object.values(Role).join(', ')}`);
  } else if (scopes.length === 0) {
    throw new Error('Give --account <id> [--role OWNER|BILLING_ADMIN|VIEWER] or --scope admin|usage:write');
  }
  const sub = values.subject ?? (values.account ? `${values.account}-${role!.toLowerCase()}` : `service-${scopes.join('-')}`);
  console.log(await signToken(config.auth.hmacSecret, { sub, accountId: values.account, role, scopes }, values.expires));
}

runScript(main);
