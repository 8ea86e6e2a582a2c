import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../../database/columns';
import { BillingEntityType } from '../account.enums';

@Entity('billing_info')
export class BillingInfoEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  accountId!: string;

  @Column({ type: 'varchar', length: 16 })
  entityType!: BillingEntityType;

  @Column({ type: 'varchar', length: 200 })
  legalName!: string;

  /** Null for a private individual without one; a company always has one. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  taxCode!: string | null;

  @Column({ type: 'varchar', length: 200 })
  addressLine1!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  addressLine2!: string | null;

  @Column({ type: 'varchar', length: 100 })
  city!: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  postalCode!: string | null;

  @Column({ type: 'varchar', length: 2 })
  country!: string;

  @Column({ type: 'varchar', length: 254 })
  invoiceEmail!: string;

  @Column(timestampColumn())
  updatedAt!: Date;
}
