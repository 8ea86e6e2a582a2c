import { In } from 'typeorm';
import type { Logger } from '../../common/logger';
import { lockedForUpdate } from '../../database/dialect';
import { StartUpPass } from '../../database/start-up-pass';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { LedgerService } from '../../ledger/ledger.service';
import type { DebitNotesService } from '../receipts/debit-notes.service';
import { CreditNoteEntity } from '../receipts/entities/credit-note.entity';
import { DebitNoteEntity } from '../receipts/entities/debit-note.entity';
import { DebitNoteReason } from '../receipts/receipt.enums';
import { disputeWonKeyOf } from '../top-ups/dispute-keys';
import { TopUpEntity } from '../top-ups/entities/top-up.entity';
import { refundReturnedKeyOf } from './refunds.service';

/** Credit notes read (and debit notes issued) per transaction. */
const BATCH_SIZE = 500;

/** A standing credit note whose credits the ledger shows given back. */
interface Given {
  creditNoteId: number;
  topUpId: string;
  accountId: string;
  creditNoteSourceKey: string;
  giveBackKey: string;
  reason: DebitNoteReason;
}

/**
 * Debit notes for credit notes whose credits came back before debit notes existed: a database
 * written by an earlier release may hold a dispute won (`DISPUTE_WON`, ledger key
 * `topup-dispute-won:…`) or a confirmed refund the provider then refused (`refund-returned:<id>`)
 * whose credit note still stands, so the purchase's documents say the money was given back and a
 * later refund of it is refused as more than the receipt. Every process, once it listens, walks the
 * credit notes without a debit note once in id order, a batch at a time, keeps those whose give-back
 * the ledger holds (one statement per batch), and cancels each through `DebitNotesService.cancel`
 * for exactly what the give-back returned, in a transaction that locks their top-ups: two processes
 * walking at once issue each debit note once (the second finds the first's), and a restart issues
 * none. The numbering worker numbers them as they commit.
 */
export class LateDebitNotesJob extends StartUpPass {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      ledger: Pick<LedgerService, 'existingKeys' | 'netOfAccountByKey'>;
      debitNotes: Pick<DebitNotesService, 'cancel'>;
      logger: Logger;
    },
  ) {
    super(dependencies.runner, dependencies.logger, 'issuing the debit notes of credits given back before debit notes existed failed; retried later');
  }

  protected run(): Promise<number> {
    return this.issueAll();
  }

  /** One pass over the standing credit notes: answers how many debit notes it issued. */
  async issueAll(): Promise<number> {
    const { runner, logger } = this;
    let issued = 0;
    let after = 0;
    while (!this.stopped) {
      const batch = await runner.read((manager) =>
        manager
          .createQueryBuilder(CreditNoteEntity, 'note')
          .select(['note.id AS id', 'note.topUpId AS topUpId', 'note.accountId AS accountId', 'note.sourceKey AS sourceKey'])
          .leftJoin(DebitNoteEntity, 'debit', 'debit.creditNoteId = note.id')
          .where('note.id > :after', { after })
          .andWhere('debit.id IS NULL')
          .orderBy('note.id', 'ASC')
          .limit(BATCH_SIZE)
          .getRawMany<{ id: string | number; topUpId: string; accountId: string; sourceKey: string }>(),
      );
      if (batch.length === 0) break;
      const candidates = batch.flatMap((row): Given[] => {
        const won = disputeWonKeyOf(row.sourceKey);
        const returned = refundReturnedKeyOf(row.sourceKey);
        const giveBackKey = won ?? returned;
        if (!giveBackKey) return [];
        const reason = won ? DebitNoteReason.DISPUTE_WON : DebitNoteReason.REFUND_FAILED;
        return [{ creditNoteId: Number(row.id), topUpId: row.topUpId, accountId: row.accountId, creditNoteSourceKey: row.sourceKey, giveBackKey, reason }];
      });
      // A batch with no dispute's or platform refund's credit note has no give-back to look up.
      if (candidates.length > 0) {
        const givenBack = await runner.read((manager) =>
          this.dependencies.ledger.existingKeys(
            manager,
            candidates.map((given) => given.giveBackKey),
          ),
        );
        const due = candidates.filter((given) => givenBack.has(given.giveBackKey));
        if (due.length > 0) issued += await this.issueBatch(due);
      }
      after = Number(batch[batch.length - 1].id);
    }
    if (issued > 0) logger.info({ issued }, 'issued the debit notes of credits given back before debit notes existed');
    return issued;
  }

  /** The batch's top-ups locked; each credit note still standing cancelled for what its give-back returned. */
  private issueBatch(due: Given[]): Promise<number> {
    const { ledger, debitNotes } = this.dependencies;
    return this.runner.transaction(async (manager) => {
      await lockedForUpdate(
        manager
          .createQueryBuilder(TopUpEntity, 'topUp')
          .where({ id: In([...new Set(due.map((given) => given.topUpId))]) })
          .orderBy('topUp.id', 'ASC'),
      ).getMany();
      const cancelled = await manager.find(DebitNoteEntity, {
        select: { creditNoteId: true },
        where: { creditNoteId: In(due.map((given) => given.creditNoteId)) },
      });
      const cancelledIds = new Set(cancelled.map((note) => note.creditNoteId));
      const standing = due.filter((given) => !cancelledIds.has(given.creditNoteId));
      for (const given of standing) {
        const amountMicros = await ledger.netOfAccountByKey(manager, given.giveBackKey, given.accountId);
        await debitNotes.cancel(manager, {
          creditNoteSourceKey: given.creditNoteSourceKey,
          amountMicros: amountMicros ?? 0n,
          reason: given.reason,
          sourceKey: given.giveBackKey,
        });
      }
      return standing.length;
    });
  }
}
