import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';

/**
 * Security headers on every answer (HTML, the CSV and report routes, GraphQL's JSON), by helmet.
 * The Content-Security-Policy is the one the offline explorer runs under: its script, styles,
 * fonts and Monaco's workers come from this server ('self'); GraphiQL and Monaco set inline styles,
 * so styles allow 'unsafe-inline' (scripts never do); the page talks only to this server
 * (connect-src 'self' covers graphql-ws on the same host). Nothing may frame the pages.
 * HSTS is sent in production only (a developer's http://127.0.0.1 must not be pinned to https),
 * and no upgrade-insecure-requests, which would break the explorer served over plain http.
 */
export function securityHeaders(config: Pick<Config, 'environment'>): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: config.environment === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}
