import type { AccountLookup } from '../auth/access-policy';
import type { AccountsService } from './accounts.service';

/** The access policy's account lookup for the download routes (GraphQL uses the request's loader). */
export function accountLookup(accounts: Pick<AccountsService, 'findByIds'>): AccountLookup {
  return async (accountId) => (await accounts.findByIds([accountId]))[0] ?? null;
}
