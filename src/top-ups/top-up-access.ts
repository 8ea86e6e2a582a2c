import { AccessPolicy } from '../auth/access-policy';
import { badInput } from '../common/domain-error';
import { PaymentMethod } from '../payment-providers/payment-provider';
import type { GraphQLContext } from '../graphql/context';
import type { CapturePayPalTopUpInput } from './dtos/create-top-up.input';
import type { TopUpEntity } from './entities/top-up.entity';

/**
 * A top-up of an account the principal may see. One that does not exist and one of another
 * account are refused alike (FORBIDDEN, same message), so top-up ids cannot be probed.
 */
export async function loadVisibleTopUp(context: GraphQLContext, id: string): Promise<TopUpEntity> {
  AccessPolicy.requireAuthenticated(context.principal);
  const topUp = await context.services.topUps.findById(id);
  const owner = topUp ? await context.loaders.account.load(topUp.accountId) : null;
  AccessPolicy.assertCanReadBelonging(context.principal, 'top-up', owner);
  return topUp!;
}

export async function loadPayableTopUp(context: GraphQLContext, id: string): Promise<TopUpEntity> {
  const topUp = await loadVisibleTopUp(context, id);
  AccessPolicy.assertCanManageOwnBilling(context.principal, topUp.accountId);
  return topUp;
}

/** The top-up a capture names, by its id or by its PayPal order id; an unknown order is refused like another account's. */
export async function loadPayableTopUpOfCapture(context: GraphQLContext, input: CapturePayPalTopUpInput): Promise<TopUpEntity> {
  if (input.topUpId) return loadPayableTopUp(context, input.topUpId);
  if (!input.orderId) throw badInput('Give topUpId or orderId.', { field: 'topUpId' });
  AccessPolicy.requireAuthenticated(context.principal);
  const byOrder = await context.services.topUps.findByProviderReference(PaymentMethod.PAYPAL, input.orderId);
  const owner = byOrder ? await context.loaders.account.load(byOrder.accountId) : null;
  AccessPolicy.assertCanReadBelonging(context.principal, 'PayPal order', owner);
  AccessPolicy.assertCanManageOwnBilling(context.principal, byOrder!.accountId);
  return byOrder!;
}
