import { In } from 'typeorm';
import type { Logger } from '../../common/logger';
import { lockedForUpdate } from '../../database/dialect';
import { StartUpPass } from '../../database/start-up-pass';
import type { TransactionRunner } from '../../database/transaction-runner';
import { ReceiptEntity } from '../receipts/entities/receipt.entity';
import type { ReceiptsService } from '../receipts/receipts.service';
import { TopUpEntity } from './entities/top-up.entity';
import { isPaidStatus, PAID_TOP_UP_STATUSES, type TopUpStatus } from './top-up.enums';

/** Top-ups read (and receipts issued) per transaction. */
const BATCH_SIZE = 500;

/**
 * Receipts for the purchases paid before receipts existed: an embedded SQLite file or a MySQL
 * database that holds paid top-ups from an earlier release, or from a process of that release still
 * running during a rolling deploy. Every process, once it listens, walks the top-ups once in id
 * order, a batch at a time, and issues a late receipt for each paid one without a receipt
 * (`ReceiptsService.issueLate`: issued now, dated paid when it was paid, with the billing information
 * and settings of now), in a transaction that locks the batch's top-ups, so a concurrent reversal
 * of one of them waits and then finds its receipt, and two processes walking at once issue each
 * receipt once. With nothing to issue, the walk is one read of the top-ups' primary key (and the
 * receipts' top-up index), a batch at a time. The numbering worker numbers the receipts as they commit, in the order they were written.
 */
export class LateReceiptsJob extends StartUpPass {
  private readonly receipts: Pick<ReceiptsService, 'issueLate'>;

  constructor(dependencies: { runner: TransactionRunner; receipts: Pick<ReceiptsService, 'issueLate'>; logger: Logger }) {
    super(dependencies.runner, dependencies.logger, 'issuing the receipts of purchases paid before receipts existed failed; retried later');
    this.receipts = dependencies.receipts;
  }

  protected run(): Promise<number> {
    return this.issueAll();
  }

  /** One pass over every top-up: answers how many receipts it issued. */
  async issueAll(): Promise<number> {
    const { runner, logger } = this;
    let issued = 0;
    let after = '';
    while (!this.stopped) {
      // The walk follows the primary key alone, BATCH_SIZE top-ups at a time, and picks the paid ones
      // without a receipt from each batch here: with the status in the WHERE clause, SQLite reads the
      // status index and sorts every paid top-up again for each batch (a pass quadratic in the table).
      const batch = await runner.read((manager) =>
        manager
          .createQueryBuilder(TopUpEntity, 'topUp')
          .select('topUp.id', 'id')
          .addSelect('topUp.status', 'status')
          .addSelect('receipt.id', 'receiptId')
          .leftJoin(ReceiptEntity, 'receipt', 'receipt.topUpId = topUp.id')
          .where('topUp.id > :after', { after })
          .orderBy('topUp.id', 'ASC')
          .limit(BATCH_SIZE)
          .getRawMany<{ id: string; status: TopUpStatus; receiptId: string | null }>(),
      );
      if (batch.length === 0) break;
      const unreceipted = batch.filter((row) => row.receiptId === null && isPaidStatus(row.status));
      if (unreceipted.length > 0) issued += await this.issueBatch(unreceipted.map((row) => row.id));
      after = batch[batch.length - 1].id;
    }
    if (issued > 0) logger.info({ issued }, 'issued the receipts of purchases paid before receipts existed');
    return issued;
  }

  /** The batch's top-ups locked, still paid, their receipts issued in the order they were paid. */
  private issueBatch(topUpIds: string[]): Promise<number> {
    return this.runner.transaction(async (manager) => {
      const topUps = await lockedForUpdate(
        manager
          .createQueryBuilder(TopUpEntity, 'topUp')
          .where({ id: In(topUpIds), status: In([...PAID_TOP_UP_STATUSES]) })
          .orderBy('topUp.id', 'ASC'),
      ).getMany();
      const byPayment = topUps.sort((a, b) => (a.completedAt?.getTime() ?? 0) - (b.completedAt?.getTime() ?? 0));
      return this.receipts.issueLate(manager, byPayment);
    });
  }
}
