import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Access } from '../graphql/access';
import type { GraphQLContext } from '../graphql/context';
import { toBalances } from '../ledger/dtos/mappers';
import { TransferCreditsInput, TransferCreditsPayload } from './dtos/transfer.type';
import type { TransfersService } from './transfers.service';

/** What the transfer resolvers use. */
export interface TransfersResolverServices {
  transfers: Pick<TransfersService, 'transfer'>;
}

type Context = GraphQLContext<TransfersResolverServices>;

@Resolver()
export class TransfersResolver {
  @Authorized(Access.accountUser('Only a partner user can transfer credits.'), Access.billingManager('Only an OWNER or BILLING_ADMIN may transfer credits.'))
  @Mutation(() => TransferCreditsPayload, {
    description:
      'Partner OWNER or BILLING_ADMIN: move credits from your top-up balance to an ACTIVE customer of yours, atomically. ' +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async transferCredits(@Arg('input') input: TransferCreditsInput, @Ctx() context: Context): Promise<TransferCreditsPayload> {
    const principal = context.principal!;
    const result = await context.services.transfers.transfer({
      partnerAccountId: principal.accountId!,
      customerAccountId: input.customerAccountId,
      amountMicros: input.amount,
      idempotencyKey: input.idempotencyKey,
      note: input.note ?? null,
      actor: { userId: principal.subject, role: principal.role },
      dryRun: input.dryRun,
    });
    const { transfer } = result;
    return {
      dryRun: result.dryRun,
      transfer: transfer && {
        id: String(transfer.id),
        partnerAccountId: transfer.partnerAccountId,
        customerAccountId: transfer.customerAccountId,
        amount: transfer.amountMicros,
        note: transfer.note,
        createdAt: transfer.createdAt,
      },
      partnerBalances: toBalances(result.partnerBalancesAfter),
      customerBalances: toBalances(result.customerBalancesAfter),
    };
  }
}
