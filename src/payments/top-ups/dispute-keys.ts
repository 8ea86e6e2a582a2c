/** The ledger keys of a dispute: its reversal (every event of one dispute takes once), and the give-back when it is won. */
export const disputeKey = (provider: string, disputeReference: string) => `topup-dispute:${provider}:${disputeReference}`.slice(0, 191);
export const disputeWonKey = (provider: string, disputeReference: string) => `topup-dispute-won:${provider}:${disputeReference}`.slice(0, 191);

/** The give-back key of a dispute's reversal key (a credit note's `sourceKey`), or null for a key that is no dispute's. */
export function disputeWonKeyOf(reversalKey: string): string | null {
  const prefix = 'topup-dispute:';
  return reversalKey.startsWith(prefix) ? `topup-dispute-won:${reversalKey.slice(prefix.length)}`.slice(0, 191) : null;
}
