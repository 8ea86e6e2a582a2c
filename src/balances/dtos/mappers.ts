import { AccountBalances, totalMicros } from '../../ledger/balances';
import type { Balances } from './balances.type';

export function toBalances(balances: AccountBalances): Balances {
  return {
    accountId: balances.accountId,
    topUpBalance: balances.topUpMicros,
    promotionalBalance: balances.promotionalMicros,
    totalBalance: totalMicros(balances),
  };
}
