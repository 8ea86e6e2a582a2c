import type { ComponentType } from 'react';
import type { Language } from './i18n';
import type { Viewer } from './session';

/**
 * One screen of the console: its path under /console, its name in the navigation, and who sees it.
 * The customer screens (src/customer/routes.tsx) and the partner screens (src/partner/routes.tsx)
 * are two lists App concatenates; a screen is one line in its area's list.
 */
export interface ConsoleRoute {
  path: string;
  label: Record<Language, string>;
  element: ComponentType;
  visible(viewer: Viewer): boolean;
  /** Reached by a link or a return (a payment's return page), not listed in the navigation. */
  hidden?: boolean;
}

/** A user of a customer account that buys its own credits (not a partner, not a partner's customer: those see the partner screens or none). */
export const isCustomerAccount = (viewer: Viewer): boolean => viewer.account?.kind === 'CUSTOMER';

export const isPartnerAccount = (viewer: Viewer): boolean => viewer.account?.kind === 'PARTNER';

/** OWNER and BILLING_ADMIN may pay, save cards and change settings; a VIEWER reads. */
export const canManageBilling = (viewer: Viewer): boolean => viewer.role === 'OWNER' || viewer.role === 'BILLING_ADMIN';
