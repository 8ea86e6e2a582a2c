/** An account's balances in micro-credits. */
export interface AccountBalances {
  accountId: string;
  topUpMicros: bigint;
  promotionalMicros: bigint;
}

export const totalMicros = (balances: AccountBalances): bigint => balances.topUpMicros + balances.promotionalMicros;

export const zeroBalances = (accountId: string): AccountBalances => ({ accountId, topUpMicros: 0n, promotionalMicros: 0n });
