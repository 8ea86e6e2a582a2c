import { AccountStatus } from '../accounts/account.enums';
import type { TransactionRunner } from '../database/transaction-runner';
import { AccountBalances } from '../ledger/balances';
import type { BalancesService } from '../ledger/balances.service';
import { LedgerTransactionType } from '../ledger/ledger.enums';
import type { LedgerService } from '../ledger/ledger.service';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import { PartnerActor, PartnerCustomerCommand, PartnerCustomerKind, PartnerCustomerPostings } from './partner-customer-postings';

export type TransferCommand = PartnerCustomerCommand;
export type TransferActor = PartnerActor;

export interface TransferResult {
  /** Null for a dry run. */
  transfer: CreditTransferEntity | null;
  partnerBalancesAfter: AccountBalances;
  customerBalancesAfter: AccountBalances;
  dryRun: boolean;
}

/** A transfer pays the customer from the partner's top-up balance; only an ACTIVE customer receives. */
const TRANSFER: PartnerCustomerKind<CreditTransferEntity> = {
  name: 'transfer',
  entity: CreditTransferEntity,
  transactionType: LedgerTransactionType.TRANSFER,
  payer: 'PARTNER',
  customerStatuses: [AccountStatus.ACTIVE],
  customerStatusMessage: (status) => `The customer account is ${status}; credits can only go to an ACTIVE customer.`,
  verbPhrase: 'transfer credits to',
};

/**
 * Partner → own customer credit transfers: the partner's TOPUP wallet is debited (never below zero,
 * however many transfers race) and the customer's credited, with the transfer row, in one
 * transaction (see `PartnerCustomerPostings`).
 */
export class TransfersService {
  private readonly postings: PartnerCustomerPostings<CreditTransferEntity>;

  constructor(runner: TransactionRunner, ledger: LedgerService, balances: BalancesService) {
    this.postings = new PartnerCustomerPostings(runner, ledger, balances, TRANSFER);
  }

  async transfer(command: TransferCommand): Promise<TransferResult> {
    const { record, ...result } = await this.postings.execute(command);
    return { transfer: record, ...result };
  }
}
