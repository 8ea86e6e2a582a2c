import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Account } from '../../accounts/dtos/account.type';
import type { AccountEntity } from '../../accounts/entities/account.entity';
import { Access } from '../../graphql/access';
import type { GraphQLContext } from '../../graphql/context';
import { toBalances } from '../../balances/dtos/mappers';
import { toPartnerCustomerCommand, toPartnerCustomerPayload, toPartnerCustomerRecord } from './dtos/mappers';
import { TransferBatchRowResult, TransferCreditsBatchInput, TransferCreditsBatchPayload } from './dtos/transfer-batch.type';
import { TransferCreditsInput, TransferCreditsPayload } from './dtos/transfer.type';
import { TransferBatchRowStatus } from './transfer-batch.enums';
import type { TransferBatchesService, TransferBatchRowResult as BatchRow } from './transfer-batches.service';
import type { TransfersService } from './transfers.service';

/** What the transfer resolvers use. */
export interface TransfersResolverServices {
  transfers: Pick<TransfersService, 'transfer'>;
  transferBatches: Pick<TransferBatchesService, 'transferBatch'>;
}

type Context = GraphQLContext<TransfersResolverServices>;

/** Transfers are a partner user's, with the right to spend: OWNER or BILLING_ADMIN. */
const TRANSFERRING_USER = [
  Access.accountUser('Only a partner user can transfer credits.'),
  Access.billingManager('Only an OWNER or BILLING_ADMIN may transfer credits.'),
];

@Resolver(() => TransferBatchRowResult)
export class TransfersResolver {
  @Authorized(...TRANSFERRING_USER)
  @Mutation(() => TransferCreditsPayload, {
    description:
      'Partner OWNER or BILLING_ADMIN: move credits from your top-up balance to an ACTIVE customer of yours, atomically. ' +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async transferCredits(@Arg('input') input: TransferCreditsInput, @Ctx() context: Context): Promise<TransferCreditsPayload> {
    const result = await context.services.transfers.transfer(toPartnerCustomerCommand(context.principal!, input));
    return { ...toPartnerCustomerPayload(result), transfer: result.record && toPartnerCustomerRecord(result.record) };
  }

  @Authorized(...TRANSFERRING_USER)
  @Mutation(() => TransferCreditsBatchPayload, {
    description:
      'Partner OWNER or BILLING_ADMIN: many transfers to your customers under one idempotency key, one result per row in input order. ' +
      'ALL_OR_NOTHING moves every row or none; EACH_ON_ITS_OWN refuses a bad row alone. dryRun validates every row, moving nothing.',
  })
  async transferCreditsBatch(@Arg('input') input: TransferCreditsBatchInput, @Ctx() context: Context): Promise<TransferCreditsBatchPayload> {
    const principal = context.principal!;
    const result = await context.services.transferBatches.transferBatch({
      partnerAccountId: principal.accountId!,
      idempotencyKey: input.idempotencyKey,
      mode: input.mode,
      dryRun: input.dryRun,
      rows: input.rows.map((row) => ({ customerAccountId: row.customerAccountId, amountMicros: row.amount, note: row.note ?? null })),
      actor: { userId: principal.subject, role: principal.role },
    });
    return {
      dryRun: result.dryRun,
      mode: result.mode,
      results: result.rows.map(toRowResult),
      totals: { ...result.totals, amount: result.totals.amountMicros },
    };
  }

  @FieldResolver(() => Account, {
    nullable: true,
    description:
      "The row's customer (name, status, balances), read in one batch for the rows: null when the id names no customer of yours " +
      '(a refused FORBIDDEN row says nothing of another account).',
  })
  async customer(@Root() row: TransferBatchRowResult, @Ctx() context: Context): Promise<AccountEntity | null> {
    const account = await context.loaders.account.load(row.customerAccountId);
    return account && account.partnerId === context.principal!.accountId ? account : null;
  }
}

function toRowResult({ index, customerAccountId, amountMicros, outcome }: BatchRow): TransferBatchRowResult {
  const row = { index, customerAccountId, amount: amountMicros, status: outcome.status, transfer: null, partnerBalances: null, customerBalances: null };
  switch (outcome.status) {
    case TransferBatchRowStatus.OK:
      return {
        ...row,
        code: null,
        message: null,
        transfer: outcome.result.record && toPartnerCustomerRecord(outcome.result.record),
        partnerBalances: toBalances(outcome.result.partnerBalancesAfter),
        customerBalances: toBalances(outcome.result.customerBalancesAfter),
      };
    case TransferBatchRowStatus.REFUSED:
      return { ...row, code: outcome.error.code, message: outcome.error.message };
    case TransferBatchRowStatus.NOT_APPLIED:
      return { ...row, code: null, message: 'Not applied: another row of this ALL_OR_NOTHING batch was refused, so nothing moved.' };
  }
}
