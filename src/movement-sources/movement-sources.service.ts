import { EntityManager, In } from 'typeorm';
import type { TransactionRunner } from '../database/transaction-runner';
import { PromotionalGrantEntity } from '../promotions/entities/promotional-grant.entity';
import { TopUpEntity } from '../payments/top-ups/entities/top-up.entity';
import { CreditReclaimEntity } from '../partners/transfers/entities/credit-reclaim.entity';
import { CreditTransferEntity } from '../partners/transfers/entities/credit-transfer.entity';
import { UsageEventEntity } from '../usage/entities/usage-event.entity';
import { CreditCorrectionEntity } from '../corrections/entities/credit-correction.entity';
import { MovementLinkFields, SourceLink, sourceLinkOf } from './source-links';

/** The business row a credit movement came from. */
export type MovementSourceRow =
  | { kind: 'TOP_UP'; topUp: TopUpEntity }
  | { kind: 'TRANSFER'; transfer: CreditTransferEntity }
  | { kind: 'RECLAIM'; reclaim: CreditReclaimEntity }
  | { kind: 'USAGE'; usage: UsageEventEntity }
  | { kind: 'GRANT'; grant: PromotionalGrantEntity }
  | { kind: 'CORRECTION'; correction: CreditCorrectionEntity };

export interface SourcedMovement extends MovementLinkFields {
  /** The account whose history row it is; a business row of another account is never returned. */
  accountId: string;
}

/**
 * Finds the business rows behind a batch of credit-history rows: one indexed `IN` lookup per kind
 * present in the batch (top-ups by id, transfers, reclaims, usage events and grants by
 * transaction id, expired grants by id, corrections by transaction id), so a page costs at most seven statements however many rows it has.
 * Reads the replica when there is one, like the history page itself: the business rows were
 * written in the same transaction as the history rows, so the replica has both or neither.
 */
export class MovementSourcesService {
  constructor(private readonly runner: TransactionRunner) {}

  async sourcesOf(movements: readonly SourcedMovement[]): Promise<(MovementSourceRow | null)[]> {
    const links = movements.map(sourceLinkOf);
    const rows = await this.runner.readReplica((manager) => loadRows(manager, links));
    return movements.map((movement, index) => {
      const source = rowOf(rows, links[index]);
      return source && belongsTo(source, movement.accountId) ? source : null;
    });
  }
}

interface LoadedRows {
  topUps: Map<string, TopUpEntity>;
  transfers: Map<number, CreditTransferEntity>;
  reclaims: Map<number, CreditReclaimEntity>;
  usage: Map<number, UsageEventEntity>;
  grantsByTransaction: Map<number, PromotionalGrantEntity>;
  grantsById: Map<number, PromotionalGrantEntity>;
  corrections: Map<number, CreditCorrectionEntity>;
}

async function loadRows(manager: EntityManager, links: (SourceLink | null)[]): Promise<LoadedRows> {
  const keys = <T>(pick: (link: SourceLink) => T | undefined) => [...new Set(links.flatMap((link) => (link ? (pick(link) ?? []) : [])))] as T[];
  const topUpIds = keys((link) => (link.kind === 'TOP_UP' ? link.topUpId : undefined));
  const transferTransactions = keys((link) => (link.kind === 'TRANSFER' ? link.transactionId : undefined));
  const reclaimTransactions = keys((link) => (link.kind === 'RECLAIM' ? link.transactionId : undefined));
  const usageTransactions = keys((link) => (link.kind === 'USAGE' ? link.transactionId : undefined));
  const grantTransactions = keys((link) => (link.kind === 'GRANT' && 'transactionId' in link ? link.transactionId : undefined));
  const grantIds = keys((link) => (link.kind === 'GRANT' && 'grantId' in link ? link.grantId : undefined));
  const correctionTransactions = keys((link) => (link.kind === 'CORRECTION' ? link.transactionId : undefined));

  const topUps = topUpIds.length ? await manager.findBy(TopUpEntity, { id: In(topUpIds) }) : [];
  const transfers = transferTransactions.length ? await manager.findBy(CreditTransferEntity, { transactionId: In(transferTransactions) }) : [];
  const reclaims = reclaimTransactions.length ? await manager.findBy(CreditReclaimEntity, { transactionId: In(reclaimTransactions) }) : [];
  const usage = usageTransactions.length ? await manager.findBy(UsageEventEntity, { transactionId: In(usageTransactions) }) : [];
  const grantsByTransaction = grantTransactions.length ? await manager.findBy(PromotionalGrantEntity, { transactionId: In(grantTransactions) }) : [];
  const grantsById = grantIds.length ? await manager.findBy(PromotionalGrantEntity, { id: In(grantIds) }) : [];
  const corrections = correctionTransactions.length ? await manager.findBy(CreditCorrectionEntity, { transactionId: In(correctionTransactions) }) : [];
  return {
    topUps: new Map(topUps.map((row) => [row.id, row])),
    transfers: new Map(transfers.map((row) => [row.transactionId, row])),
    reclaims: new Map(reclaims.map((row) => [row.transactionId, row])),
    usage: new Map(usage.map((row) => [row.transactionId, row])),
    grantsByTransaction: new Map(grantsByTransaction.map((row) => [row.transactionId, row])),
    grantsById: new Map(grantsById.map((row) => [row.id, row])),
    corrections: new Map(corrections.map((row) => [row.transactionId!, row])),
  };
}

function rowOf(rows: LoadedRows, link: SourceLink | null): MovementSourceRow | null {
  if (!link) return null;
  switch (link.kind) {
    case 'TOP_UP': {
      const topUp = rows.topUps.get(link.topUpId);
      return topUp ? { kind: 'TOP_UP', topUp } : null;
    }
    case 'TRANSFER': {
      const transfer = rows.transfers.get(link.transactionId);
      return transfer ? { kind: 'TRANSFER', transfer } : null;
    }
    case 'RECLAIM': {
      const reclaim = rows.reclaims.get(link.transactionId);
      return reclaim ? { kind: 'RECLAIM', reclaim } : null;
    }
    case 'USAGE': {
      const usage = rows.usage.get(link.transactionId);
      return usage ? { kind: 'USAGE', usage } : null;
    }
    case 'GRANT': {
      const grant = 'grantId' in link ? rows.grantsById.get(link.grantId) : rows.grantsByTransaction.get(link.transactionId);
      return grant ? { kind: 'GRANT', grant } : null;
    }
    case 'CORRECTION': {
      const correction = rows.corrections.get(link.transactionId);
      return correction ? { kind: 'CORRECTION', correction } : null;
    }
  }
}

/** A reference is text: the row it names must be the account's own (or, for a transfer, name it as a side). */
function belongsTo(source: MovementSourceRow, accountId: string): boolean {
  switch (source.kind) {
    case 'TOP_UP':
      return source.topUp.accountId === accountId;
    case 'TRANSFER':
      return source.transfer.partnerAccountId === accountId || source.transfer.customerAccountId === accountId;
    case 'RECLAIM':
      return source.reclaim.partnerAccountId === accountId || source.reclaim.customerAccountId === accountId;
    case 'USAGE':
      return source.usage.accountId === accountId;
    case 'GRANT':
      return source.grant.accountId === accountId;
    case 'CORRECTION':
      return source.correction.accountId === accountId;
  }
}
