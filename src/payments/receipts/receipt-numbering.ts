import type { Logger } from '../../common/logger';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { OutboxService } from '../../notifications/outbox.service';
import { documentNumber } from './document-number';
import { DocumentNumberingWorker } from './document-numbering.worker';
import { ReceiptEntity } from './entities/receipt.entity';
import { ReceiptIssued } from './receipt-events';
import { DocumentKind } from './receipt.enums';

/** The worker that numbers receipts, announcing each numbered receipt (RECEIPT_ISSUED) in the numbering transaction. */
export function createReceiptNumbering(dependencies: {
  runner: TransactionRunner;
  outbox: OutboxService;
  logger: Logger;
  pollIntervalMs: number;
}): DocumentNumberingWorker<ReceiptEntity> {
  const { runner, outbox, logger, pollIntervalMs } = dependencies;
  return new DocumentNumberingWorker<ReceiptEntity>({
    runner,
    logger,
    pollIntervalMs,
    series: {
      kind: DocumentKind.RECEIPT,
      entity: ReceiptEntity,
      announce: (manager, numbered) =>
        outbox.emit(
          manager,
          ReceiptIssued,
          numbered.map((receipt) => ({
            receiptId: String(receipt.id),
            accountId: receipt.accountId,
            topUpId: receipt.topUpId,
            number: documentNumber(receipt)!,
            amountMicros: receipt.amountMicros,
            currency: receipt.currency,
            totalMinor: receipt.totalMinor.toString(),
            issuedAt: receipt.issuedAt,
          })),
        ),
    },
  });
}
