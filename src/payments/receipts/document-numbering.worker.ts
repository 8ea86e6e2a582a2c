import { EntityManager, EntityTarget, FindOptionsOrder, FindOptionsWhere, IsNull } from 'typeorm';
import { invariant } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { lockedForUpdate } from '../../database/dialect';
import { claimLeasedRows, type LeasedRow } from '../../database/lease-claim';
import { type Lease, LeasedWorker } from '../../database/leased-worker';
import type { TransactionRunner } from '../../database/transaction-runner';
import { DocumentCounterEntity } from './entities/document-counter.entity';
import type { DocumentKind } from './receipt.enums';

/** Documents numbered per claim (one numbering transaction). */
const CLAIM_BATCH_SIZE = 100;
/** Far longer than a numbering transaction takes; a lapsed lease lets another process number the rows. */
const LEASE_MS = 30_000;

/** What the worker needs of a document: its series and year, and the number it is given. */
export interface NumberedDocument extends LeasedRow {
  series: string;
  year: number;
  sequence: number | null;
  numberedAt: Date | null;
}

/** One kind of document the worker numbers, and what it writes beside the numbers. */
export interface DocumentSeries<Document extends NumberedDocument> {
  kind: DocumentKind;
  entity: EntityTarget<Document>;
  /** Written in the numbering transaction, with the documents it numbered (the event announcing them). */
  announce?(manager: EntityManager, numbered: readonly Document[]): Promise<void>;
}

/**
 * Gives committed documents their numbers, gapless per series and calendar year. The transaction
 * that writes a document (the payment's credit) takes no shared lock: it inserts an unnumbered row.
 * This worker claims unnumbered rows with a lease (oldest first, so in the order they were written),
 * then in one transaction locks the series' counter row, gives them the next sequences, and moves
 * the counter by as many: a round that rolls back gives nothing and moves nothing, and a row that is
 * not committed yet is not seen, so no number is ever skipped or given twice. Two processes'
 * rounds wait for each other on the counter row, off the purchase's path.
 */
export class DocumentNumberingWorker<Document extends NumberedDocument> extends LeasedWorker<Document> {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      logger: Logger;
      pollIntervalMs: number;
      series: DocumentSeries<Document>;
    },
  ) {
    super({ ...dependencies, drainFailureMessage: `${dependencies.series.kind} numbering failed; the documents stay unnumbered and are retried` });
  }

  protected claim(manager: EntityManager, { owner, now }: Lease): Promise<Document[]> {
    return claimLeasedRows(manager, this.dependencies.series.entity, {
      where: { sequence: IsNull() } as FindOptionsWhere<Document>,
      order: { id: 'ASC' } as FindOptionsOrder<Document>,
      owner,
      leaseUntil: new Date(now.getTime() + LEASE_MS),
      now,
      take: CLAIM_BATCH_SIZE,
    });
  }

  protected async work(claimed: Document[], lease: Lease): Promise<void> {
    const { runner, series } = this.dependencies;
    await runner.transaction(async (manager) => {
      const numberedAt = new Date();
      const numbered: Document[] = [];
      // Counters are locked in one order (series, then year) by every round: no two rounds wait on each other crosswise.
      for (const group of bySeriesAndYear(claimed)) {
        const { series: name, year } = group[0];
        const last = await lockCounter(manager, { kind: series.kind, series: name, year });
        const sequences = group.map((_, position) => last + 1 + position);
        await this.assign(manager, group, { sequences, numberedAt, owner: lease.owner });
        await manager.update(DocumentCounterEntity, { kind: series.kind, series: name, year }, { lastSequence: last + group.length });
        group.forEach((document, position) => Object.assign(document, { sequence: sequences[position], numberedAt, leaseOwner: null, leaseUntil: null }));
        numbered.push(...group);
      }
      await series.announce?.(manager, numbered);
    });
  }

  /**
   * One statement for the group. It must number every row it names: a row this lease no longer
   * holds (it lapsed and another process numbered it) fails the round, which rolls back whole.
   */
  private async assign(
    manager: EntityManager,
    documents: readonly Document[],
    { sequences, numberedAt, owner }: { sequences: number[]; numberedAt: Date; owner: string },
  ): Promise<void> {
    const parameters: Record<string, number> = {};
    const cases = documents.map((document, position) => {
      parameters[`document${position}`] = document.id;
      parameters[`sequence${position}`] = sequences[position];
      return `WHEN :document${position} THEN :sequence${position}`;
    });
    const { affected } = await manager
      .createQueryBuilder()
      .update(this.dependencies.series.entity)
      .set({ sequence: () => `CASE id ${cases.join(' ')} END`, numberedAt, leaseOwner: null, leaseUntil: null } as never)
      .where('id IN (:...ids) AND sequence IS NULL AND leaseOwner = :owner', { ids: documents.map((document) => document.id), owner })
      .setParameters(parameters)
      .execute();
    invariant(affected === documents.length, `every claimed document is numbered once (${affected} of ${documents.length})`);
  }
}

/** The counter of a series' year, created at 0 by the first round that needs it, and locked. */
async function lockCounter(manager: EntityManager, key: { kind: DocumentKind; series: string; year: number }): Promise<number> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(DocumentCounterEntity)
    .values({ ...key, lastSequence: 0 })
    .orIgnore()
    .execute();
  const counter = await lockedForUpdate(manager.createQueryBuilder(DocumentCounterEntity, 'counter').where(key)).getOneOrFail();
  return counter.lastSequence;
}

/** The claimed documents grouped by series and year (in that order), each group in id order. */
function bySeriesAndYear<Document extends NumberedDocument>(documents: readonly Document[]): Document[][] {
  const groups = new Map<string, Document[]>();
  for (const document of [...documents].sort((a, b) => a.id - b.id)) {
    const key = JSON.stringify([document.series, document.year]);
    groups.set(key, [...(groups.get(key) ?? []), document]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
}
