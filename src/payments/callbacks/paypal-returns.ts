import type { Logger } from '../../common/logger';
import { PaymentMethod } from '../providers/payment-provider';
import type { TopUpEntity } from '../top-ups/entities/top-up.entity';
import type { PaymentLifecycle } from '../top-ups/payment-lifecycle';
import { isOpenStatus } from '../top-ups/top-up.enums';
import type { TopUpsService } from '../top-ups/top-ups.service';
import { type BrowserReturnAnswer, resultPage, toConsole } from './browser-return';

/** What PayPal's two browser returns use. */
export interface PaypalReturnDependencies {
  paymentLifecycle: Pick<PaymentLifecycle, 'capturePayPal' | 'cancel'>;
  topUps: Pick<TopUpsService, 'findById'>;
  logger: Logger;
}

/** Where PayPal sends the buyer: back after approving (`approved`), or after "Cancel and return" (`canceled`). */
export type PaypalReturnKind = 'approved' | 'canceled';

/**
 * PayPal's browser returns, `/payments/paypal/{return,cancel}?topUpId=…&token=<order id>`: the
 * return settles what it can, then sends the browser to the console's `returnUrl` with the top-up's
 * id and status, as VNPay's return does. After approval it captures the order (once, whatever the
 * `CHECKOUT.ORDER.APPROVED` webhook does meanwhile), so the console usually lands on `SUCCEEDED`;
 * after "Cancel and return" it cancels the open top-up (`BUYER_CANCELED`). Both are GETs anyone
 * can send, so the top-up must name that PayPal order (the order id is known only to the buyer's
 * browser and PayPal); anything else gets the same 400 page, so top-up ids cannot be probed. A
 * failed capture or cancel is not the buyer's to fix here: the console gets the status as it is.
 */
export async function paypalReturn(
  dependencies: PaypalReturnDependencies,
  kind: PaypalReturnKind,
  query: Record<string, string>,
): Promise<BrowserReturnAnswer> {
  const topUp = query.topUpId ? await dependencies.topUps.findById(query.topUpId) : null;
  if (!topUp || topUp.method !== PaymentMethod.PAYPAL || !topUp.providerReference || topUp.providerReference !== query.token) {
    dependencies.logger.warn({ kind }, 'PayPal return refused: it names no PayPal order of ours');
    return resultPage(
      400,
      'Payment result could not be verified',
      'The link is damaged or was changed. Nothing was changed; your top-up status is in the console.',
    );
  }
  if (!isOpenStatus(topUp.status)) return toConsole(topUp);
  try {
    return toConsole(kind === 'approved' ? await dependencies.paymentLifecycle.capturePayPal(topUp) : await dependencies.paymentLifecycle.cancel(topUp.id));
  } catch (error) {
    dependencies.logger.warn({ err: error, topUpId: topUp.id, kind }, 'PayPal return could not settle the top-up; the console gets its status as it is');
    return toConsole((await dependencies.topUps.findById(topUp.id)) ?? (topUp as TopUpEntity));
  }
}
