import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DocumentKind } from '../receipt.enums';

/**
 * The last number given in one series and year, per kind of document. Only the numbering worker
 * writes it, in the transaction that numbers documents, so it moves exactly as far as the numbers
 * committed: a rolled-back round leaves it where it was, and no number is skipped.
 */
@Entity('document_counter')
export class DocumentCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind!: DocumentKind;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  series!: string;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  lastSequence!: number;
}
