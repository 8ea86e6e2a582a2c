import type { Logger } from '../../common/logger';
import { type VnpayGateway, WebhookSignatureError } from '../providers/payment-provider';
import type { PaymentLifecycle } from '../top-ups/payment-lifecycle';
import type { TopUpsService } from '../top-ups/top-ups.service';
import { type BrowserReturnAnswer, resultPage, toConsole } from './browser-return';

/** What VNPay's two callbacks use (the router gives them once VNPay is configured). */
export interface VnpayAnswerDependencies {
  gateways: { vnpay: VnpayGateway };
  paymentLifecycle: Pick<PaymentLifecycle, 'apply'>;
  topUps: Pick<TopUpsService, 'findById'>;
  logger: Logger;
}

export interface VnpayIpnAnswer {
  RspCode: '00' | '01' | '02' | '04' | '97' | '99';
  Message: string;
}

/**
 * VNPay's IPN contract: always HTTP 200 with this JSON, checked in exactly this order: checksum
 * (97), order exists (01), amount (04), order still open (02), then record and confirm (00).
 * Anything unexpected is 99, and VNPay retries.
 */
export async function vnpayIpnAnswer(dependencies: VnpayAnswerDependencies, query: Record<string, string>): Promise<VnpayIpnAnswer> {
  try {
    let event;
    try {
      event = dependencies.gateways.vnpay.verifyCallback(query);
    } catch (error) {
      if (error instanceof WebhookSignatureError) return { RspCode: '97', Message: 'Invalid Checksum' };
      throw error;
    }
    const result = await dependencies.paymentLifecycle.apply(event);
    switch (result.kind) {
      case 'UNKNOWN_TOP_UP':
        return { RspCode: '01', Message: 'Order not found' };
      case 'AMOUNT_MISMATCH':
        return { RspCode: '04', Message: 'Invalid amount' };
      case 'ALREADY_FINAL':
      case 'DUPLICATE':
        return { RspCode: '02', Message: 'Order already confirmed' };
      case 'APPLIED':
      case 'IGNORED':
        return { RspCode: '00', Message: 'Confirm Success' };
      default:
        return { RspCode: '99', Message: 'Unknown error' };
    }
  } catch (error) {
    dependencies.logger.error({ err: error }, 'VNPay IPN failed');
    return { RspCode: '99', Message: 'Unknown error' };
  }
}

/**
 * Where VNPay sends the buyer's browser after paying. The signature is verified first; a verified
 * return redirects to the top-up's `returnUrl` with `topUpId` and our stored `status` (PENDING until
 * the IPN confirmed it: the console then waits on topUpStatusChanged). It never credits and never
 * changes anything (only the IPN or querydr does), so a forged or replayed return URL is harmless;
 * an unverified one gets a 400 page rather than a redirect, so nothing forged reaches the console.
 */
export async function vnpayReturn(dependencies: VnpayAnswerDependencies, query: Record<string, string>): Promise<BrowserReturnAnswer> {
  let event;
  try {
    event = dependencies.gateways.vnpay.verifyCallback(query);
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      dependencies.logger.warn({ reason: error.message }, 'VNPay return refused: signature not verified');
      return resultPage(
        400,
        'Payment result could not be verified',
        'The link is damaged or was changed. Nothing was changed; your top-up status is in the console.',
      );
    }
    dependencies.logger.error({ err: error }, 'VNPay return failed');
    return resultPage(500, 'Something went wrong', 'Your top-up status is in the console.');
  }
  const topUp = event.topUpId ? await dependencies.topUps.findById(event.topUpId) : null;
  if (!topUp) return resultPage(404, 'Unknown payment', 'We have no top-up for this payment.');
  return toConsole(topUp);
}
