import { Brackets, EntityManager, In } from 'typeorm';
import { BillingInfoEntity } from '../../accounts/entities/billing-info.entity';
import { badInput } from '../../common/domain-error';
import type { Logger } from '../../common/logger';
import { pageSizeOrThrow } from '../../common/page-size';
import type { ReceiptsConfig } from '../../config';
import { insertRows } from '../../database/bulk-insert';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { PaymentCurrency, PaymentMethod } from '../providers/payment-provider';
import { calendarYear } from './document-number';
import { ReceiptEntity } from './entities/receipt.entity';
import { type Numbering, readNumbered, readNumberedByIds, whenNumbered } from './numbered-reads';
import { includedTaxMinor } from './tax';

/** What a receipt is issued for: a top-up that has just succeeded (its row, as the crediting transaction holds it). */
export interface PurchaseForReceipt {
  id: string;
  accountId: string;
  method: PaymentMethod;
  /** MANUAL or AUTO_RECHARGE. */
  origin: string;
  providerReference: string | null;
  amountMicros: bigint;
  currency: PaymentCurrency;
  chargeMinor: bigint;
  creditPrice: string;
  /** When it succeeded: the receipt's `paidAt` (and issue time, but for a late receipt); now when not set. */
  completedAt: Date | null;
}

export interface ReceiptListFilter {
  /** Inclusive start of the period (issue time). */
  from?: Date | null;
  /** Exclusive end of the period. */
  to?: Date | null;
}

export interface ReceiptPage {
  receipts: ReceiptEntity[];
  cursors: string[];
  hasNextPage: boolean;
}

/**
 * Receipts: issued in the transaction that credits a purchase (`issueForPurchase`), read by id, by
 * top-up and as an account's list. A receipt is numbered by the numbering worker right after its
 * transaction commits; a read that meets one still unnumbered waits for that round (`whenNumbered`).
 */
export class ReceiptsService {
  constructor(
    private readonly dependencies: {
      runner: TransactionRunner;
      config: ReceiptsConfig;
      numbering: Numbering;
      /** GRAPHQL_MAX_PAGE_SIZE. */
      maxPageSize: number;
      logger: Logger;
    },
  ) {}

  /**
   * Issues the receipt of a purchase that succeeded, inside the transaction that credits it: the
   * billing information, tax rate and seller as they are now, copied onto it. Once per top-up (a
   * unique index; the caller credits a top-up once). Takes no shared lock: the number is given
   * after commit.
   */
  async issueForPurchase(manager: EntityManager, purchase: PurchaseForReceipt): Promise<ReceiptEntity> {
    const billing = await manager.findOneBy(BillingInfoEntity, { accountId: purchase.accountId });
    const receipt = manager.create(ReceiptEntity, this.receiptRow(purchase, billing, { issuedAt: purchase.completedAt ?? new Date(), paidAt: null }));
    await manager.insert(ReceiptEntity, receipt);
    this.dependencies.runner.afterCommit(manager, this.kickNumbering);
    return receipt;
  }

  /**
   * Issues the receipts of purchases paid before receipts existed (the back-fill), inside the
   * caller's transaction, which holds their top-ups locked: issued now, in this year's series, dated
   * paid when they were paid, with the billing information, tax rate and seller as they are now
   * (those of the payment's day were never recorded). A purchase that has a receipt is skipped.
   * Answers how many it issued; they are numbered like any receipt, in the order given.
   */
  async issueLate(manager: EntityManager, purchases: readonly PurchaseForReceipt[]): Promise<number> {
    if (purchases.length === 0) return 0;
    const issued = await manager.find(ReceiptEntity, { select: { topUpId: true }, where: { topUpId: In(purchases.map((purchase) => purchase.id)) } });
    const haveReceipts = new Set(issued.map((receipt) => receipt.topUpId));
    const missing = purchases.filter((purchase) => !haveReceipts.has(purchase.id));
    if (missing.length === 0) return 0;
    const billings = await manager.findBy(BillingInfoEntity, { accountId: In([...new Set(missing.map((purchase) => purchase.accountId))]) });
    const billingOf = new Map(billings.map((billing) => [billing.accountId, billing]));
    const issuedAt = new Date();
    const rows = missing.map((purchase) =>
      this.receiptRow(purchase, billingOf.get(purchase.accountId) ?? null, { issuedAt, paidAt: purchase.completedAt ?? issuedAt }),
    );
    await insertRows(manager, ReceiptEntity, rows);
    this.dependencies.runner.afterCommit(manager, this.kickNumbering);
    return missing.length;
  }

  /** A receipt as written: everything it prints copied from the purchase, the billing information and the settings. */
  private receiptRow(
    purchase: PurchaseForReceipt,
    billing: BillingInfoEntity | null,
    times: { issuedAt: Date; paidAt: Date | null },
  ): Omit<ReceiptEntity, 'id'> {
    const { config } = this.dependencies;
    const taxBasisPoints = billing ? (config.taxBasisPointsByCountry[billing.country] ?? 0) : 0;
    return {
      accountId: purchase.accountId,
      topUpId: purchase.id,
      series: config.receiptPrefix,
      year: calendarYear(times.issuedAt, config.timeZone),
      sequence: null,
      numberedAt: null,
      issuedAt: times.issuedAt,
      paidAt: times.paidAt,
      method: purchase.method,
      origin: purchase.origin,
      providerReference: purchase.providerReference,
      ...billingSnapshot(billing),
      amountMicros: purchase.amountMicros,
      creditPrice: purchase.creditPrice,
      currency: purchase.currency,
      totalMinor: purchase.chargeMinor,
      taxMinor: includedTaxMinor(purchase.chargeMinor, taxBasisPoints),
      taxBasisPoints,
      issuerName: config.issuer.name,
      issuerAddress: config.issuer.address,
      issuerTaxCode: config.issuer.taxCode,
      leaseOwner: null,
      leaseUntil: null,
    };
  }

  /** Registered on every transaction that issues a receipt, once per transaction. */
  private readonly kickNumbering = () => this.dependencies.numbering.kick();

  /** A receipt by its id (as GraphQL and the PDF route carry it); null for an id that is no receipt's. */
  async findById(id: string): Promise<ReceiptEntity | null> {
    const [receipt] = await this.findByIds([id]);
    return receipt ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<ReceiptEntity[]> {
    return readNumberedByIds(ReceiptEntity, ids, this.dependencies);
  }

  async findByTopUpIds(topUpIds: readonly string[]): Promise<ReceiptEntity[]> {
    if (topUpIds.length === 0) return [];
    return readNumbered(ReceiptEntity, (manager) => manager.findBy(ReceiptEntity, { topUpId: In([...topUpIds]) }), this.dependencies);
  }

  /** An account's receipts, newest first, in keyset pages on (issuedAt, id). */
  async page(accountId: string, filter: ReceiptListFilter, first: number | null | undefined, after: string | null | undefined): Promise<ReceiptPage> {
    const limit = pageSizeOrThrow(first, { maxPageSize: this.dependencies.maxPageSize });
    if (filter.from && filter.to && filter.from >= filter.to) throw badInput('filter.from must be before filter.to.', { field: 'filter' });
    const position = after ? decodeReceiptCursor(after) : null;
    const rows = await this.dependencies.runner.read((manager) => {
      const query = manager.createQueryBuilder(ReceiptEntity, 'receipt').where('receipt.accountId = :accountId', { accountId });
      if (filter.from) query.andWhere('receipt.issuedAt >= :from', { from: filter.from });
      if (filter.to) query.andWhere('receipt.issuedAt < :to', { to: filter.to });
      if (position) {
        // The first condition bounds the index range; the bracket breaks ties within one millisecond.
        query
          .andWhere('receipt.issuedAt <= :cursorTime', { cursorTime: position.issuedAt })
          .andWhere(new Brackets((inner) => inner.where('receipt.issuedAt < :cursorTime').orWhere('receipt.id < :cursorId', { cursorId: position.id })));
      }
      return query
        .orderBy('receipt.issuedAt', 'DESC')
        .addOrderBy('receipt.id', 'DESC')
        .take(limit + 1)
        .getMany();
    });
    const receipts = await this.numbered(rows.slice(0, limit));
    return { receipts, cursors: receipts.map(encodeReceiptCursor), hasNextPage: rows.length > limit };
  }

  private numbered(receipts: ReceiptEntity[]): Promise<ReceiptEntity[]> {
    const { runner, numbering, logger } = this.dependencies;
    return whenNumbered(receipts, { numbering, logger, reread: (ids) => runner.read((manager) => manager.findBy(ReceiptEntity, { id: In(ids) })) });
  }
}

function billingSnapshot(billing: BillingInfoEntity | null) {
  return {
    billingEntityType: billing?.entityType ?? null,
    billingLegalName: billing?.legalName ?? null,
    billingTaxCode: billing?.taxCode ?? null,
    billingAddressLine1: billing?.addressLine1 ?? null,
    billingAddressLine2: billing?.addressLine2 ?? null,
    billingCity: billing?.city ?? null,
    billingPostalCode: billing?.postalCode ?? null,
    billingCountry: billing?.country ?? null,
    billingInvoiceEmail: billing?.invoiceEmail ?? null,
  };
}

function encodeReceiptCursor(receipt: Pick<ReceiptEntity, 'issuedAt' | 'id'>): string {
  return Buffer.from(`${receipt.issuedAt.getTime()}:${receipt.id}`).toString('base64url');
}

function decodeReceiptCursor(cursor: string): { issuedAt: Date; id: number } {
  const match = typeof cursor === 'string' && cursor.length <= 200 ? /^(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  if (!match) throw badInput('The cursor is not one this API gave out.', { field: 'after' });
  return { issuedAt: new Date(Number(match[1])), id: Number(match[2]) };
}
