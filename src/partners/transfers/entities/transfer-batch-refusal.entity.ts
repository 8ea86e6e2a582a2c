import { Column, Entity } from 'typeorm';
import { idReferenceColumn } from '../../../database/columns';

/** A row of a transfer batch that was refused: the code and message its answer carried. */
@Entity('transfer_batch_refusal')
export class TransferBatchRefusalEntity {
  @Column(idReferenceColumn({ primary: true }))
  batchId!: number;

  /** The row's position in the request, from 0. */
  @Column({ type: 'int', primary: true })
  rowIndex!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 255 })
  message!: string;
}
