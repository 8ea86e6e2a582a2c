import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CreditsScalar } from '../../../common/credits.scalar';
import { Balances } from '../../../balances/dtos/balances.type';
import { TransferBatchMode, TransferBatchRowStatus } from '../transfer-batch.enums';
import { CreditTransfer } from './transfer.type';

registerEnumType(TransferBatchMode, {
  name: 'TransferBatchMode',
  description: 'What a transfer batch does when one of its rows is refused.',
  valuesConfig: {
    ALL_OR_NOTHING: { description: 'Every row moves, in one database transaction, or none does.' },
    EACH_ON_ITS_OWN: { description: 'The rows that pass move; a refused row is refused alone.' },
  },
});
registerEnumType(TransferBatchRowStatus, {
  name: 'TransferBatchRowStatus',
  description: "One row's fate in a transfer batch.",
  valuesConfig: {
    OK: { description: 'The transfer was made (for a dry run: it would be).' },
    REFUSED: { description: 'Refused, with the code `transferCredits` would give (`code`, `message`).' },
    NOT_APPLIED: { description: 'Valid, but its ALL_OR_NOTHING batch has a refused row, so nothing moved.' },
  },
});

@InputType({ description: 'One transfer of a batch.' })
export class TransferBatchRowInput {
  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar, { description: 'More than zero, at most six decimal places.' })
  amount!: bigint;

  @Field(() => String, { nullable: true, description: "Shown in both accounts' credit history (at most 255 characters)." })
  note?: string | null;
}

@InputType({ description: 'Many transfers from your partner account to your customers, under one idempotency key.' })
export class TransferCreditsBatchInput {
  @Field({ description: 'Retrying with the same key returns the first results, row for row; a different batch needs a new key.' })
  idempotencyKey!: string;

  @Field(() => TransferBatchMode)
  mode!: TransferBatchMode;

  @Field({
    defaultValue: false,
    description: 'Validate every row (the partner balance running down the rows) and answer as the batch would, moving nothing and claiming no key.',
  })
  dryRun!: boolean;

  @Field(() => [TransferBatchRowInput], { description: 'At most TRANSFER_BATCH_MAX_ROWS rows (500 by default), applied in this order.' })
  rows!: TransferBatchRowInput[];
}

@ObjectType({ description: "One row's result, in the order of the input rows." })
export class TransferBatchRowResult {
  @Field(() => Int, { description: "The row's position in the input, from 0." })
  index!: number;

  @Field(() => ID)
  customerAccountId!: string;

  @Field(() => CreditsScalar)
  amount!: bigint;

  @Field(() => TransferBatchRowStatus)
  status!: TransferBatchRowStatus;

  @Field(() => String, { nullable: true, description: 'For REFUSED: the code `transferCredits` would refuse this transfer with.' })
  code!: string | null;

  @Field(() => String, { nullable: true, description: 'For REFUSED and NOT_APPLIED: why, for a person.' })
  message!: string | null;

  @Field(() => CreditTransfer, { nullable: true, description: 'For OK: the transfer made; null for a dry run.' })
  transfer!: CreditTransfer | null;

  @Field(() => Balances, { nullable: true, description: "For OK: the partner's balances right after this row (or as they would be)." })
  partnerBalances!: Balances | null;

  @Field(() => Balances, { nullable: true, description: "For OK: the customer's balances right after this row (or as they would be)." })
  customerBalances!: Balances | null;
}

@ObjectType()
export class TransferBatchTotals {
  @Field(() => Int)
  rowCount!: number;

  @Field(() => Int)
  okCount!: number;

  @Field(() => Int)
  refusedCount!: number;

  @Field(() => Int)
  notAppliedCount!: number;

  @Field(() => CreditsScalar, { description: 'The credits the OK rows moved (or would move).' })
  amount!: bigint;
}

@ObjectType()
export class TransferCreditsBatchPayload {
  @Field({ description: 'True when this was a dry run: nothing moved.' })
  dryRun!: boolean;

  @Field(() => TransferBatchMode)
  mode!: TransferBatchMode;

  @Field(() => [TransferBatchRowResult])
  results!: TransferBatchRowResult[];

  @Field(() => TransferBatchTotals)
  totals!: TransferBatchTotals;
}
