import { badInput } from '../../common/domain-error';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where the buyer's browser may be sent back after paying. An open redirect through a payment page
 * is a phishing tool, so the URL must be on an allowed origin (the console's), over https; plain
 * http is accepted only for a local host outside production, for development.
 */
export class ReturnUrlPolicy {
  constructor(private readonly options: { allowedOrigins: readonly string[]; allowLocalhost: boolean }) {}

  checkOrThrow(raw: string): string {
    const refuse = (why: string) => badInput(`returnUrl ${why}.`, { field: 'returnUrl' });
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000) throw refuse('must be a URL of at most 2000 characters');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw refuse('is not a valid absolute URL');
    }
    if (url.username || url.password) throw refuse('must not carry credentials');
    const local = LOCAL_HOSTS.has(url.hostname);
    if (local && this.options.allowLocalhost && (url.protocol === 'http:' || url.protocol === 'https:')) return url.toString();
    if (url.protocol !== 'https:') throw refuse('must use https');
    if (!this.options.allowedOrigins.includes(url.origin)) throw refuse(`must be on an allowed origin (${url.origin} is not one)`);
    return url.toString();
  }
}
