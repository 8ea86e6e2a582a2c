import { AccountStatus } from '../../accounts/account.enums';
import type { TransactionRunner } from '../../database/transaction-runner';
import type { BalancesService } from '../../balances/balances.service';
import { LedgerTransactionType } from '../../ledger/ledger.enums';
import type { LedgerService } from '../../ledger/ledger.service';
import { CreditTransferEntity } from './entities/credit-transfer.entity';
import {
  BatchRowOutcome,
  PartnerActor,
  PartnerCustomerCommand,
  PartnerCustomerKind,
  PartnerCustomerPostings,
  PartnerCustomerResult,
  PendingOperation,
  pendingOperationOrThrow,
} from './partner-customer-postings';

export type TransferCommand = PartnerCustomerCommand;
export type TransferActor = PartnerActor;
/** A transfer (`record`, null for a dry run) and both balances after it. */
export type TransferResult = PartnerCustomerResult<CreditTransferEntity>;
/** A transfer past its own input checks. */
export type PendingTransfer = PendingOperation;
/** One row's fate in a transfer batch. */
export type TransferRowOutcome = BatchRowOutcome<TransferResult>;

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
 * Partner → own customer credit transfers, one at a time (`transferCredits`, auto-transfer rules) or
 * in batches (`TransferBatchesService`, through `applyBatch`): the transfer kind of the one
 * partner-customer executor.
 */
export class TransfersService extends PartnerCustomerPostings<CreditTransferEntity> {
  constructor(runner: TransactionRunner, ledger: LedgerService, balances: BalancesService) {
    super(runner, ledger, balances, TRANSFER);
  }

  transfer(command: TransferCommand): Promise<TransferResult> {
    return this.execute(command);
  }
}

/** A transfer's own input checked (amount, note, not to the partner itself) and hashed; throws the refusal. */
export const pendingTransferOrThrow = (command: TransferCommand): PendingTransfer => pendingOperationOrThrow(TRANSFER, command);
