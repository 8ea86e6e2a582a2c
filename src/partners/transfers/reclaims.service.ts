import { AccountStatus } from '../../accounts/account.enums';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { BalancesService } from '../../balances/balances.service';
import { LedgerTransactionType } from '../../ledger/ledger.enums';
import type { LedgerService } from '../../ledger/ledger.service';
import { CreditReclaimEntity } from './entities/credit-reclaim.entity';
import { PartnerCustomerCommand, PartnerCustomerKind, PartnerCustomerPostings, PartnerCustomerResult } from './partner-customer-postings';

export type ReclaimCommand = PartnerCustomerCommand;
/** A reclaim (`record`, null for a dry run) and both balances after it. */
export type ReclaimResult = PartnerCustomerResult<CreditReclaimEntity>;

/** The customer states a partner may take unused credits back from: anything but PENDING. */
const RECLAIMABLE_STATUSES = [AccountStatus.ACTIVE, AccountStatus.SUSPENDED, AccountStatus.CLOSED] as const;

/**
 * A reclaim pays the partner from the customer's top-up balance: a suspended or closed customer's
 * unused credits go back to the partner that gave them.
 */
const RECLAIM: PartnerCustomerKind<CreditReclaimEntity> = {
  name: 'reclaim',
  entity: CreditReclaimEntity,
  transactionType: LedgerTransactionType.RECLAIM,
  payer: 'CUSTOMER',
  customerStatuses: RECLAIMABLE_STATUSES,
  customerStatusMessage: (status) => `The customer account is ${status}; credits can be reclaimed from ${RECLAIMABLE_STATUSES.join(', ')} customers only.`,
  verbPhrase: 'reclaim credits from',
};

/**
 * A partner takes unused credits back from its own customer: one ledger transaction debits the
 * customer's TOPUP wallet, floor zero (so at most its top-up balance, never a promotional credit,
 * however many reclaims, usage events and transfers race), and credits the partner's TOPUP wallet,
 * with the reclaim row: the reclaim kind of the one partner-customer executor, so the same checks,
 * idempotency and group commit as a transfer.
 */
export class ReclaimsService extends PartnerCustomerPostings<CreditReclaimEntity> {
  constructor(runner: TransactionRunner, ledger: LedgerService, balances: BalancesService) {
    super(runner, ledger, balances, RECLAIM);
  }

  reclaim(command: ReclaimCommand): Promise<ReclaimResult> {
    return this.execute(command);
  }
}
