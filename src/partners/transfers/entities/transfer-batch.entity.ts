import { Column, Entity, Index } from 'typeorm';
import { generatedIdColumn, timestampColumn } from '../../../database/columns';
import { TransferBatchMode } from '../transfer-batch.enums';

/**
 * One `transferCreditsBatch` request that ran (dry runs leave none): the partner's key, unique per
 * partner, and the hash of the request that used it, so a replay answers the same results and a
 * different request under the key is refused. The rows' own fate is not copied here: a row that
 * moved credits is the credit transfer keyed `<batch key>/<row index>`, a refused row has a
 * `transfer_batch_refusal`, and any other row of an ALL_OR_NOTHING batch was not applied.
 */
@Entity('transfer_batch')
@Index('uq_transfer_batch_partner_key', ['partnerAccountId', 'idempotencyKey'], { unique: true })
export class TransferBatchEntity {
  @Column(generatedIdColumn())
  id!: number;

  @Column({ type: 'varchar', length: 40 })
  partnerAccountId!: string;

  @Column({ type: 'varchar', length: 100 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'varchar', length: 16 })
  mode!: TransferBatchMode;

  @Column({ type: 'int' })
  rowCount!: number;

  @Column(timestampColumn())
  createdAt!: Date;
}
