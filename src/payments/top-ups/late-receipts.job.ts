import { In } from 'typeorm';
import type { Logger } from '../../common/logger';
import { lockedForUpdate } from '../../database/dialect';
import { StartUpPass } from '../../database/start-up-pass';
import type { TransactionRunner } from '../../database/transaction-runner';
import { ReceiptEntity } from '../receipts/entities/receipt.entity';
import type { ReceiptsService } from '../receipts/receipts.service';
import { TopUpEntity } from './entities/top-up.entity';
import { PAID_TOP_UP_STATUSES } from './top-up.enums';

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
 * receipt once. With nothing to issue, the walk is one read of the top-ups' primary key. The
 * numbering worker numbers the receipts as they commit, in the order they were written.
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
      const batch = await runner.read((manager) =>
        manager
          .createQueryBuilder(TopUpEntity, 'topUp')
          .select('topUp.id', 'id')
          .leftJoin(ReceiptEntity, 'receipt', 'receipt.topUpId = topUp.id')
          .where('topUp.id > :after', { after })
          .andWhere('topUp.status IN (:...paid)', { paid: PAID_TOP_UP_STATUSES })
          .andWhere('receipt.id IS NULL')
          .orderBy('topUp.id', 'ASC')
          .limit(BATCH_SIZE)
          .getRawMany<{ id: string }>(),
      );
      if (batch.length === 0) break;
      issued += await this.issueBatch(batch.map((row) => row.id));
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
