import { Role, Scope } from '../auth/principal';

/** The demo principals the embedded start-up seeds and prints tokens for. */
export const DEMO = {
  directCustomer: 'demo-customer',
  usCustomer: 'demo-us-customer',
  partner: 'demo-partner',
  partnerCustomers: ['demo-partner-customer-1', 'demo-partner-customer-2', 'demo-partner-customer-3'],
} as const;

export const DEMO_PRINCIPALS: { label: string; sub: string; accountId?: string; role?: Role; scopes?: Scope[] }[] = [
  { label: 'Direct customer (OWNER)', sub: 'demo-customer-owner', accountId: DEMO.directCustomer, role: Role.OWNER },
  { label: 'Direct customer (VIEWER)', sub: 'demo-customer-viewer', accountId: DEMO.directCustomer, role: Role.VIEWER },
  { label: 'US customer without billing info (OWNER)', sub: 'demo-us-owner', accountId: DEMO.usCustomer, role: Role.OWNER },
  { label: 'Partner (OWNER)', sub: 'demo-partner-owner', accountId: DEMO.partner, role: Role.OWNER },
  { label: 'Partner customer 1 (OWNER)', sub: 'demo-pc1-owner', accountId: DEMO.partnerCustomers[0], role: Role.OWNER },
  { label: 'Platform admin', sub: 'demo-admin', scopes: [Scope.ADMIN] },
  { label: 'Metering service', sub: 'demo-metering', scopes: [Scope.USAGE_WRITE] },
];
