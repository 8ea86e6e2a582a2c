import type { AccountStatus } from '../../gql/graphql';

export const ACCOUNT_STATUSES: AccountStatus[] = ['ACTIVE', 'PENDING', 'SUSPENDED', 'CLOSED'];

/** A reclaim takes credits back from an ACTIVE, SUSPENDED or CLOSED customer (a transfer goes to an ACTIVE one only). */
export const canReclaimFrom = (status: AccountStatus): boolean => status !== 'PENDING';

export const CUSTOMER_DETAIL_PATH = '/customers/detail';

/** The detail screen's path for one customer. */
export const customerDetailLink = (customerAccountId: string): string => `${CUSTOMER_DETAIL_PATH}?id=${encodeURIComponent(customerAccountId)}`;

/** This calendar month so far, in whole UTC hours (Account.usage counts whole hours). */
export function thisMonth(): { from: string; to: string; timeZone: string } {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000);
  return { from: from.toISOString(), to: to.toISOString(), timeZone: 'UTC' };
}
