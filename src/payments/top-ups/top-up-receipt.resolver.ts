import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context';
import { toReceipt } from '../receipts/dtos/mappers';
import { Receipt } from '../receipts/dtos/receipt.type';
import { TopUp } from './dtos/top-up.type';

@Resolver(() => TopUp)
export class TopUpReceiptResolver {
  @FieldResolver(() => Receipt, {
    nullable: true,
    description: 'The receipt of this purchase, issued when it succeeded (null before that, and for a purchase paid before receipts existed).',
  })
  async receipt(@Root() topUp: TopUp, @Ctx() context: GraphQLContext): Promise<Receipt | null> {
    const receipt = await context.loaders.receiptOfTopUp.load(topUp.id);
    return receipt ? toReceipt(receipt) : null;
  }
}
