import { escapeHtml } from './html';

/** What a buyer's browser gets at a provider's return URL: a redirect to the console, or a page explaining why not. */
export type BrowserReturnAnswer = { kind: 'REDIRECT'; location: string } | { kind: 'PAGE'; status: number; html: string };

/** The console's returnUrl with the top-up's id and status added (its own query parameters kept). */
export function consoleReturnUrl(returnUrl: string, topUpId: string, status: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('topUpId', topUpId);
  url.searchParams.set('status', status);
  return url.toString();
}

/** Sends the browser to the console with the top-up's id and status. */
export const toConsole = (topUp: { returnUrl: string; id: string; status: string }): BrowserReturnAnswer => ({
  kind: 'REDIRECT',
  location: consoleReturnUrl(topUp.returnUrl, topUp.id, topUp.status),
});

/** A small page for a return that cannot go on to the console. */
export function resultPage(status: number, heading: string, detail: string): BrowserReturnAnswer {
  return {
    kind: 'PAGE',
    status,
    html: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head><body><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(detail)}</p></body></html>`,
  };
}
