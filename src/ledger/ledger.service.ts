import { EntityManager, In } from 'typeorm';
import { DomainError, ErrorCode, invariant } from '../common/domain-error';
import { type Clock, systemClock } from '../common/clock';
import { DuplicateOperationError } from '../common/idempotency';
import { MAX_AMOUNT_MICROS, sqlInteger } from '../common/money';
import { insertRows } from '../database/bulk-insert';
import { isUniqueViolation } from '../database/transaction-runner';
import { AccountBalances } from './balances';
import { LedgerEntryEntity } from './entities/ledger-entry.entity';
import { LedgerTransactionEntity } from './entities/ledger-transaction.entity';
import { WalletEntity } from './entities/wallet.entity';
import { SYSTEM_ACCOUNT_ID, SYSTEM_WALLET_KINDS, WalletFloor, WalletKind } from './ledger.enums';
import { GroupWithdrawnError } from './posting';
import type { AccountChange, Posting, PostingLeg, PostingOutcome, PostingProjection, PostingRequest, PostingResult } from './posting';
import { lockedForUpdate } from '../database/dialect';

export { GroupWithdrawnError } from './posting';
export type { AccountChange, Posting, PostingLeg, PostingOutcome, PostingProjection, PostingRequest, PostingResult } from './posting';

/** How many legs one posting may have: a usage batch touches at most a few wallets per event. */
const MAX_LEGS = 64;

/** One posting planned in memory against the locked balances, before anything is written. */
interface PlannedPosting {
  index: number;
  request: PostingRequest;
  deltas: { walletId: number; accountId: string; amountMicros: bigint; balanceAfterMicros: bigint }[];
  accounts: AccountChange[];
}

/**
 * The ledger core. It validates legs, locks and updates wallets, writes the transaction and its
 * entries and asserts the invariants (entries sum to zero, floors hold); it knows nothing of
 * history, notifications, reports or accounts, which are projections it hands every posting to.
 * Everything runs inside the caller's database transaction, so a business state change (a top-up's
 * status, a transfer record) and its money movement commit or roll back together.
 */
export class LedgerService {
  /** Wallet ids never change once created, so each account's are cached for the process's life. */
  private readonly walletIds = new Map<string, Map<WalletKind, number>>();

  constructor(
    private readonly projections: PostingProjection[] = [],
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Adds projections, in order, before the first posting: the composition root collects them from
   * the feature modules, which are built after the ledger they post through. Ledgers made by
   * `withClock` share the list.
   */
  addProjections(projections: readonly PostingProjection[]): void {
    this.projections.push(...projections);
  }

  /**
   * The same ledger (projections and all) stamping its postings with `clock`: how the demo seed and
   * tests back-date postings. They must post each account's movements in time order: "the last
   * movement before T is the balance at T" holds only while an account's movements are in both id
   * and time order.
   */
  withClock(clock: Clock): LedgerService {
    return new LedgerService(this.projections, clock);
  }

  /** Posts one request; a refusal (insufficient credits, a known key) is thrown. */
  async post(manager: EntityManager, request: PostingRequest): Promise<PostingResult> {
    const [outcome] = await this.postAll(manager, [request], { lone: true });
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }

  /**
   * Posts several requests set-wise, in arrival order: every wallet they touch is locked once (in
   * id order), each posting's floors are checked in memory against the balance left by the postings
   * before it, so one that does not fit is refused alone; then multi-row inserts, one update of the
   * wallets with each one's net amount, and one call of each projection for the whole batch.
   *
   * A key already in the ledger, or repeated in the batch, refuses that posting with
   * `DuplicateOperationError` (the first one stands). With `keysChecked` the caller has read the
   * existing keys itself; a key a concurrent writer inserts meanwhile then fails the multi-row
   * insert with a unique violation, and the whole transaction must run again.
   *
   * `withdrawnGroups` names all-or-nothing groups the caller has already refused (another of its
   * members failed the caller's own checks): their postings are planned, so each one's own refusal
   * is known, and then withdrawn like a group with a refused posting.
   */
  postBatch(
    manager: EntityManager,
    requests: readonly PostingRequest[],
    options: { keysChecked?: boolean; withdrawnGroups?: ReadonlySet<string> } = {},
  ): Promise<PostingOutcome[]> {
    return this.postAll(manager, requests, { lone: false, ...options });
  }

  private async postAll(
    manager: EntityManager,
    requests: readonly PostingRequest[],
    options: { lone: boolean; keysChecked?: boolean; withdrawnGroups?: ReadonlySet<string> },
  ): Promise<PostingOutcome[]> {
    if (requests.length === 0) return [];
    for (const request of requests) assertBalancedLegs(request.legs);
    // `post` claims its key first, as it always has: the unique index refuses a replay before any
    // wallet lock is waited for, and the insert returns the row's id. (Its refusal is thrown, so
    // the caller's transaction rolls that row back.)
    invariant(!options.lone || requests.length === 1, 'a lone posting is one request');
    const lone = options.lone ? await this.insertTransaction(manager, requests[0]) : null;
    const wallets = await this.lockWallets(manager, requests);
    const known =
      lone || options.keysChecked
        ? new Set<string>()
        : await this.existingKeys(
            manager,
            requests.map((request) => request.idempotencyKey),
          );

    const { outcomes, planned } = this.planAll(requests, wallets, { known, withdrawnGroups: options.withdrawnGroups ?? new Set() });
    if (planned.length === 0) return outcomes;

    // Taken after the wallet rows are locked: a later posting on the same account cannot get an
    // earlier timestamp, so "last movement before T" is the balance at T.
    const now = this.clock.now();
    const transactions = lone ? [lone] : await this.insertTransactions(manager, planned, now);
    const postings: Posting[] = planned.map(({ request, accounts }, position) => {
      const transaction = transactions[position];
      transaction.createdAt = now;
      return { request, transaction, occurredAt: transaction.createdAt, accounts };
    });
    await insertRows(
      manager,
      LedgerEntryEntity,
      planned.flatMap(({ deltas }, position) =>
        deltas.map((delta) => ({ ...delta, transactionId: postings[position].transaction.id, createdAt: postings[position].occurredAt })),
      ),
    );
    await updateWallets(manager, planned);
    for (const projection of this.projections) await projection.project(manager, postings);

    for (const [position, { index, accounts }] of planned.entries()) {
      const balances = new Map(accounts.map((change) => [change.accountId, change.after]));
      outcomes[index] = { ok: true, result: { transaction: postings[position].transaction, balances } };
    }
    return outcomes;
  }

  /**
   * Plans the requests in arrival order against the running balances. A refused posting claims no
   * key: a later copy in the batch is tried on its own merits. An all-or-nothing group with a
   * refused posting is taken back out of the plan as soon as its last posting is planned, so the
   * postings after it see the balances as if the group had never been there.
   */
  private planAll(
    requests: readonly PostingRequest[],
    wallets: Map<number, WalletEntity>,
    { known, withdrawnGroups }: { known: Set<string>; withdrawnGroups: ReadonlySet<string> },
  ): { outcomes: PostingOutcome[]; planned: PlannedPosting[] } {
    const outcomes: PostingOutcome[] = new Array(requests.length);
    const planned: PlannedPosting[] = [];
    const groupsSeen = new Set<string>();
    let groupStart = 0;
    for (const [index, request] of requests.entries()) {
      const group = request.allOrNothingGroup;
      if (group !== undefined && group !== requests[index - 1]?.allOrNothingGroup) {
        invariant(!groupsSeen.has(group), `the postings of group ${group} are contiguous`);
        groupsSeen.add(group);
        groupStart = index;
      }
      const plan = known.has(request.idempotencyKey) ? new DuplicateOperationError(request.idempotencyKey) : this.plan(request, wallets);
      if (plan instanceof Error) {
        outcomes[index] = { ok: false, error: plan };
      } else {
        known.add(request.idempotencyKey);
        planned.push({ index, request, ...plan });
      }
      const groupEnds = group !== undefined && requests[index + 1]?.allOrNothingGroup !== group;
      if (groupEnds && (withdrawnGroups.has(group) || outcomes.slice(groupStart, index + 1).some((outcome) => outcome && !outcome.ok))) {
        // The group's planned postings are the last ones planned: undo them, newest first.
        while (planned.length > 0 && planned[planned.length - 1].index >= groupStart) {
          const withdrawn = planned.pop()!;
          for (const delta of withdrawn.deltas) wallets.get(delta.walletId)!.balanceMicros -= delta.amountMicros;
          known.delete(withdrawn.request.idempotencyKey);
          outcomes[withdrawn.index] = { ok: false, error: new GroupWithdrawnError(group) };
        }
      }
    }
    return { outcomes, planned };
  }

  /**
   * Checks one posting's floors against the running balances and, if it fits, applies it to them.
   * A ZERO-floor wallet never goes below zero (below minus its overdraft, when the leg allows one): the rows are locked, so the balance checked is the
   * committed one plus this batch's earlier postings, never a stale read.
   */
  private plan(request: PostingRequest, wallets: Map<number, WalletEntity>): Omit<PlannedPosting, 'index' | 'request'> | DomainError {
    const merged = new Map<number, { leg: PostingLeg; amountMicros: bigint }>();
    for (const leg of request.legs) {
      const walletId = this.walletIdOf(leg);
      const earlier = merged.get(walletId);
      if (earlier) earlier.amountMicros += leg.amountMicros;
      else merged.set(walletId, { leg, amountMicros: leg.amountMicros });
    }
    for (const [walletId, { leg, amountMicros }] of merged) {
      const floor = leg.floor ?? defaultFloor(leg);
      if (amountMicros < 0n && floor === WalletFloor.ZERO && wallets.get(walletId)!.balanceMicros + amountMicros < -overdraftOf(leg)) {
        return insufficientCredits(leg.accountId);
      }
    }
    const accountIds = [...new Set(request.legs.map((leg) => leg.accountId).filter((id) => id !== SYSTEM_ACCOUNT_ID))];
    const before = accountIds.map((accountId) => this.balancesOf(accountId, wallets));
    const deltas: PlannedPosting['deltas'] = [];
    for (const [walletId, { leg, amountMicros }] of merged) {
      const wallet = wallets.get(walletId)!;
      wallet.balanceMicros += amountMicros;
      deltas.push({ walletId, accountId: leg.accountId, amountMicros, balanceAfterMicros: wallet.balanceMicros });
      if (amountMicros < 0n && (leg.floor ?? defaultFloor(leg)) === WalletFloor.ZERO) {
        invariant(wallet.balanceMicros >= -overdraftOf(leg), `wallet ${leg.accountId}/${leg.walletKind} stays at or above its floor`);
      }
    }
    const accounts = accountIds.map((accountId, position) => {
      const after = this.balancesOf(accountId, wallets);
      const netMicros = request.legs.filter((leg) => leg.accountId === accountId).reduce((sum, leg) => sum + leg.amountMicros, 0n);
      return { accountId, netMicros, before: before[position], after };
    });
    return { deltas, accounts };
  }

  private balancesOf(accountId: string, wallets: Map<number, WalletEntity>): AccountBalances {
    const ids = this.walletIds.get(accountId)!;
    const balanceOf = (kind: WalletKind) => (ids.has(kind) ? wallets.get(ids.get(kind)!)!.balanceMicros : 0n);
    return { accountId, topUpMicros: balanceOf(WalletKind.TOPUP), promotionalMicros: balanceOf(WalletKind.PROMOTIONAL) };
  }

  /**
   * Reads and locks, in one statement and in id order, every wallet of every account involved (not
   * only the ones that change: the history row and the notification carry the account's other
   * balance too, and it must not move under us) and the system wallets the legs name. One lock
   * order for every posting means two postings never wait on each other in opposite orders.
   * SQLite needs no lock: the TransactionRunner already runs one unit of work at a time there.
   */
  private async lockWallets(manager: EntityManager, requests: readonly PostingRequest[]): Promise<Map<number, WalletEntity>> {
    const legs = requests.flatMap((request) => request.legs);
    await this.resolveWalletIds(manager, legs);
    const ids = new Set<number>();
    for (const leg of legs) {
      if (leg.accountId === SYSTEM_ACCOUNT_ID) ids.add(this.walletIdOf(leg));
      else for (const id of this.walletIds.get(leg.accountId)!.values()) ids.add(id);
    }
    const rows = await lockedForUpdate(
      manager
        .createQueryBuilder(WalletEntity, 'wallet')
        .where('wallet.id IN (:...ids)', { ids: [...ids].sort((a, b) => a - b) })
        .orderBy('wallet.id'),
    ).getMany();
    invariant(rows.length === ids.size, `every wallet to lock exists (${rows.length} of ${ids.size})`);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Fills the wallet-id cache for the legs' accounts: one statement for those not cached yet. */
  private async resolveWalletIds(manager: EntityManager, legs: PostingLeg[]): Promise<void> {
    const missing = [...new Set(legs.filter((leg) => !this.walletIds.get(leg.accountId)?.has(leg.walletKind)).map((leg) => leg.accountId))];
    if (missing.length === 0) return;
    const rows = await manager.find(WalletEntity, { select: { id: true, accountId: true, kind: true }, where: { accountId: In(missing) } });
    for (const row of rows) {
      const ids = this.walletIds.get(row.accountId) ?? new Map<WalletKind, number>();
      ids.set(row.kind, row.id);
      this.walletIds.set(row.accountId, ids);
    }
    for (const leg of legs) invariant(this.walletIds.get(leg.accountId)?.has(leg.walletKind), `wallet ${leg.accountId}/${leg.walletKind} exists`);
  }

  private walletIdOf(leg: Pick<PostingLeg, 'accountId' | 'walletKind'>): number {
    return this.walletIds.get(leg.accountId)!.get(leg.walletKind)!;
  }

  /** Creates an account's wallets at zero; called in the transaction that creates the account. */
  async createWallets(manager: EntityManager, accountId: string, kinds: readonly WalletKind[]): Promise<void> {
    await manager.insert(
      WalletEntity,
      kinds.map((kind) => ({ accountId, kind, balanceMicros: 0n })),
    );
  }

  async ensureSystemWallets(manager: EntityManager): Promise<void> {
    const existing = await manager.find(WalletEntity, { where: { accountId: SYSTEM_ACCOUNT_ID } });
    const missing = SYSTEM_WALLET_KINDS.filter((kind) => !existing.some((wallet) => wallet.kind === kind));
    if (missing.length > 0) await this.createWallets(manager, SYSTEM_ACCOUNT_ID, missing);
  }

  async findTransactionByKey(manager: EntityManager, idempotencyKey: string): Promise<LedgerTransactionEntity | null> {
    return manager.findOne(LedgerTransactionEntity, { where: { idempotencyKey } });
  }

  /**
   * What the transaction posted under a key moved on one account (the sum of its entries there),
   * or null when no transaction holds the key: how much a posting took, read back to undo it.
   */
  async netOfAccountByKey(manager: EntityManager, idempotencyKey: string, accountId: string): Promise<bigint | null> {
    const transaction = await this.findTransactionByKey(manager, idempotencyKey);
    if (!transaction) return null;
    const entries = await manager.find(LedgerEntryEntity, { select: { amountMicros: true }, where: { transactionId: transaction.id, accountId } });
    return entries.reduce((sum, entry) => sum + entry.amountMicros, 0n);
  }

  /** Which of these keys the ledger already holds: one statement. */
  async existingKeys(manager: EntityManager, idempotencyKeys: string[]): Promise<Set<string>> {
    if (idempotencyKeys.length === 0) return new Set();
    const rows = await manager.find(LedgerTransactionEntity, {
      select: { idempotencyKey: true },
      where: { idempotencyKey: In([...new Set(idempotencyKeys)]) },
    });
    return new Set(rows.map((row) => row.idempotencyKey));
  }

  private async insertTransaction(manager: EntityManager, request: PostingRequest): Promise<LedgerTransactionEntity> {
    const transaction = newTransaction(manager, request, this.clock.now());
    try {
      await manager.insert(LedgerTransactionEntity, transaction);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateOperationError(request.idempotencyKey);
      throw error;
    }
    invariant(typeof transaction.id === 'number', 'inserted transaction has an id');
    return transaction;
  }

  /**
   * One multi-row insert, then the ids read back by idempotency key (one statement): nothing here
   * assumes a multi-row insert gets consecutive auto-increment ids.
   */
  private async insertTransactions(manager: EntityManager, planned: PlannedPosting[], now: Date): Promise<LedgerTransactionEntity[]> {
    const transactions = planned.map(({ request }) => newTransaction(manager, request, now));
    await insertRows(manager, LedgerTransactionEntity, transactions);
    const rows = await manager.find(LedgerTransactionEntity, {
      select: { id: true, idempotencyKey: true },
      where: { idempotencyKey: In(transactions.map((transaction) => transaction.idempotencyKey)) },
    });
    const idByKey = new Map(rows.map((row) => [row.idempotencyKey, row.id]));
    for (const transaction of transactions) {
      transaction.id = idByKey.get(transaction.idempotencyKey)!;
      invariant(typeof transaction.id === 'number', `transaction ${transaction.idempotencyKey} was inserted`);
    }
    return transactions;
  }
}

function newTransaction(manager: EntityManager, request: PostingRequest, createdAt: Date): LedgerTransactionEntity {
  return manager.create(LedgerTransactionEntity, {
    type: request.type,
    idempotencyKey: request.idempotencyKey,
    requestHash: request.requestHash ?? null,
    reference: request.reference ?? null,
    description: request.description ?? null,
    createdAt,
  });
}

/**
 * One statement for the whole batch: each wallet moves by the net of its entries. The rows are
 * locked and every floor was checked against them, so the update cannot break one; the balances
 * after are asserted equal to the entries' running balances.
 */
async function updateWallets(manager: EntityManager, planned: PlannedPosting[]): Promise<void> {
  const netByWallet = new Map<number, bigint>();
  let sum = 0n;
  for (const { deltas } of planned) {
    for (const { walletId, amountMicros } of deltas) {
      netByWallet.set(walletId, (netByWallet.get(walletId) ?? 0n) + amountMicros);
      sum += amountMicros;
    }
  }
  invariant(sum === 0n, `the batch's entries sum to zero (sum ${sum})`);
  const moved = [...netByWallet].filter(([, net]) => net !== 0n).sort(([a], [b]) => a - b);
  if (moved.length === 0) return;
  const parameters: Record<string, number> = {};
  const cases = moved.map(([walletId, net], position) => {
    parameters[`wallet${position}`] = walletId;
    return `WHEN :wallet${position} THEN (${sqlInteger(net)})`;
  });
  const { affected } = await manager
    .createQueryBuilder()
    .update(WalletEntity)
    .set({ balanceMicros: () => `balanceMicros + CASE id ${cases.join(' ')} END` })
    .where('id IN (:...walletIds)', { walletIds: moved.map(([walletId]) => walletId) })
    .setParameters(parameters)
    .execute();
  invariant(affected === moved.length, `every moved wallet updated once (${affected} of ${moved.length})`);
}

/** Entries of a transaction sum to zero; each is non-zero and bounded. Checked before any write. */
export function assertBalancedLegs(legs: PostingLeg[]): void {
  invariant(legs.length >= 2 && legs.length <= MAX_LEGS, `a posting has 2 to ${MAX_LEGS} legs`);
  let sum = 0n;
  for (const leg of legs) {
    invariant(typeof leg.amountMicros === 'bigint', 'amounts are bigint');
    invariant(leg.amountMicros !== 0n, 'no zero legs');
    invariant(leg.amountMicros <= MAX_AMOUNT_MICROS * 2n && leg.amountMicros >= -MAX_AMOUNT_MICROS * 2n, 'leg is bounded');
    invariant(leg.overdraftMicros === undefined || (leg.overdraftMicros >= 0n && leg.overdraftMicros <= MAX_AMOUNT_MICROS), 'overdraft is bounded');
    sum += leg.amountMicros;
  }
  invariant(sum === 0n, `entries sum to zero (sum ${sum})`);
}

export function balancesOfAccounts(wallets: WalletEntity[]): Map<string, AccountBalances> {
  const balances = new Map<string, AccountBalances>();
  for (const wallet of wallets) {
    if (wallet.accountId === SYSTEM_ACCOUNT_ID) continue;
    const entry = balances.get(wallet.accountId) ?? { accountId: wallet.accountId, topUpMicros: 0n, promotionalMicros: 0n };
    if (wallet.kind === WalletKind.TOPUP) entry.topUpMicros = wallet.balanceMicros;
    if (wallet.kind === WalletKind.PROMOTIONAL) entry.promotionalMicros = wallet.balanceMicros;
    balances.set(wallet.accountId, entry);
  }
  return balances;
}

/** The refusal of a debit that a ZERO-floor wallet cannot carry (dry runs give the same). */
export const insufficientCredits = (accountId: string) =>
  new DomainError(ErrorCode.INSUFFICIENT_CREDITS, 'The balance is too low for this amount.', { accountId });

const overdraftOf = (leg: PostingLeg): bigint => leg.overdraftMicros ?? 0n;

function defaultFloor(leg: PostingLeg): WalletFloor {
  return leg.accountId === SYSTEM_ACCOUNT_ID ? WalletFloor.NONE : WalletFloor.ZERO;
}
