import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../server/context';
import { toPartnerCustomerCommand, toPartnerCustomerPayload, toPartnerCustomerRecord } from './dtos/mappers';
import { TransferCreditsInput, TransferCreditsPayload } from './dtos/transfer.type';

@Resolver()
export class TransfersResolver {
  @Mutation(() => TransferCreditsPayload, {
    description:
      'Partner OWNER or BILLING_ADMIN: move credits from your top-up balance to an ACTIVE customer of yours, atomically. ' +
      'Idempotent per key; dryRun validates and previews the balances.',
  })
  async transferCredits(@Arg('input') input: TransferCreditsInput, @Ctx() context: GraphQLContext): Promise<TransferCreditsPayload> {
    const command = toPartnerCustomerCommand(context.principal, input, 'transfer credits');
    const result = await context.services.transfers.transfer(command);
    return { ...toPartnerCustomerPayload(result), transfer: result.transfer && toPartnerCustomerRecord(result.transfer) };
  }
}
