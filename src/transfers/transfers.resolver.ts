import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { AccessPolicy } from '../auth/access-policy';
import { canManageBilling } from '../auth/principal';
import { forbidden } from '../common/domain-error';
import { toBalances } from '../ledger/dtos/mappers';
import type { GraphQLContext } from '../graphql/context';
import { TransferCreditsInput, TransferCreditsPayload } from './dtos/transfer.type';

@Resolver()
export class TransfersResolver {
  @Mutation(() => TransferCreditsPayload, {
    description:
      'Partner OWNER or BILLING_ADMIN: move credits from your top-up balance to an ACTIVE customer of yours, atomically. ' +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async transferCredits(@Arg('input') input: TransferCreditsInput, @Ctx() context: GraphQLContext): Promise<TransferCreditsPayload> {
    const principal = AccessPolicy.requireAuthenticated(context.principal);
    if (!principal.accountId) throw forbidden('Only a partner user can transfer credits.');
    if (!canManageBilling(principal)) throw forbidden('Only an OWNER or BILLING_ADMIN may transfer credits.');
    const result = await context.services.transfers.transfer({
      partnerAccountId: principal.accountId,
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
