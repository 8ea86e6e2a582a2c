import { DataSource } from 'typeorm';
import { SYSTEM_ACCOUNT_ID } from './ledger.enums';

/**
 * Re-checks every ledger invariant from the stored rows; returns what is wrong (nothing when
 * healthy). Used by the tests after every concurrent scenario and meant for an operator's audit.
 */
export async function auditLedger(dataSource: DataSource): Promise<string[]> {
  const problems: string[] = [];
  const rows = async (sql: string) => (await dataSource.query(sql)) as Record<string, unknown>[];

  for (const row of await rows(`
      SELECT w.id AS walletId, w.balanceMicros AS balance, COALESCE(SUM(e.amountMicros), 0) AS entries
      FROM wallet w LEFT JOIN ledger_entry e ON e.walletId = w.id
      GROUP BY w.id, w.balanceMicros`)) {
    if (BigInt(String(row.balance)) !== BigInt(String(row.entries))) {
      problems.push(`wallet ${row.walletId}: balance ${row.balance} but entries sum to ${row.entries}`);
    }
  }
  for (const row of await rows(`
      SELECT transactionId, SUM(amountMicros) AS total, COUNT(*) AS legs FROM ledger_entry
      GROUP BY transactionId HAVING SUM(amountMicros) <> 0 OR COUNT(*) < 2`)) {
    problems.push(`transaction ${row.transactionId}: ${row.legs} entries summing to ${row.total}`);
  }
  for (const row of await rows(`
      SELECT t.id FROM ledger_transaction t LEFT JOIN ledger_entry e ON e.transactionId = t.id
      WHERE e.id IS NULL`)) {
    problems.push(`transaction ${row.id} has no entries`);
  }
  const [total] = await rows('SELECT COALESCE(SUM(balanceMicros), 0) AS total FROM wallet');
  if (BigInt(String(total.total)) !== 0n) problems.push(`all wallets sum to ${total.total}, not 0`);

  for (const row of await rows(`
      SELECT w.accountId, w.balanceMicros AS balance, COALESCE(SUM(g.remainingMicros), 0) AS grants
      FROM wallet w LEFT JOIN promotional_grant g ON g.accountId = w.accountId
      WHERE w.kind = 'PROMOTIONAL' GROUP BY w.accountId, w.balanceMicros`)) {
    if (BigInt(String(row.balance)) !== BigInt(String(row.grants))) {
      problems.push(`account ${row.accountId}: promotional balance ${row.balance} but grants hold ${row.grants}`);
    }
  }
  // The history projection: the latest movement of each account shows its current balances.
  for (const row of await rows(`
      SELECT m.accountId, m.topUpBalanceAfterMicros AS topUp, m.promotionalBalanceAfterMicros AS promo,
             t.balanceMicros AS walletTopUp, p.balanceMicros AS walletPromo
      FROM account_movement m
      JOIN (SELECT accountId, MAX(id) AS id FROM account_movement GROUP BY accountId) latest ON latest.id = m.id
      JOIN wallet t ON t.accountId = m.accountId AND t.kind = 'TOPUP'
      JOIN wallet p ON p.accountId = m.accountId AND p.kind = 'PROMOTIONAL'`)) {
    if (String(row.topUp) !== String(row.walletTopUp) || String(row.promo) !== String(row.walletPromo)) {
      problems.push(`account ${row.accountId}: latest history row disagrees with its wallets`);
    }
  }
  // The history projection against the ledger: each row's amount is the account's net in its
  // transaction, every account leg has its row, and an account without history holds nothing.
  for (const row of await rows(`
      SELECT m.id, m.amountMicros AS movement, COALESCE(SUM(e.amountMicros), 0) AS entries
      FROM account_movement m LEFT JOIN ledger_entry e ON e.transactionId = m.transactionId AND e.accountId = m.accountId
      GROUP BY m.id, m.amountMicros
      HAVING COALESCE(SUM(e.amountMicros), 0) <> m.amountMicros`)) {
    problems.push(`history row ${row.id}: amount ${row.movement} but its ledger entries sum to ${row.entries}`);
  }
  for (const row of await rows(`
      SELECT e.transactionId, e.accountId FROM ledger_entry e
      LEFT JOIN account_movement m ON m.transactionId = e.transactionId AND m.accountId = e.accountId
      WHERE e.accountId <> '${SYSTEM_ACCOUNT_ID}' AND m.id IS NULL
      GROUP BY e.transactionId, e.accountId`)) {
    problems.push(`transaction ${row.transactionId} moved account ${row.accountId}'s credits without a history row`);
  }
  for (const row of await rows(`
      SELECT w.accountId, w.kind, w.balanceMicros AS balance FROM wallet w
      WHERE w.accountId <> '${SYSTEM_ACCOUNT_ID}' AND w.balanceMicros <> 0
        AND NOT EXISTS (SELECT 1 FROM account_movement m WHERE m.accountId = w.accountId)`)) {
    problems.push(`account ${row.accountId}: ${row.kind} wallet holds ${row.balance} but the account has no history`);
  }
  // The depletion flag is kept equal to "top-up balance below minus the credit limit" by every
  // posting and every change of a limit.
  for (const row of await rows(`
      SELECT a.id, a.depleted, a.reversalHold, a.creditLimitMicros AS creditLimit, w.balanceMicros AS topUp FROM account a
      JOIN wallet w ON w.accountId = a.id AND w.kind = 'TOPUP'`)) {
    if (Boolean(Number(row.depleted)) !== BigInt(String(row.topUp)) < -BigInt(String(row.creditLimit))) {
      problems.push(`account ${row.id}: depleted flag ${row.depleted} but top-up balance ${row.topUp} (credit limit ${row.creditLimit})`);
    }
    // A reversal hold is released as soon as the balance is back at zero or above.
    if (Boolean(Number(row.reversalHold)) && BigInt(String(row.topUp)) >= 0n) {
      problems.push(`account ${row.id}: on reversal hold but top-up balance ${row.topUp}`);
    }
  }
  return problems;
}
