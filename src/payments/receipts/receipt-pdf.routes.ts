import { Request, Response, Router } from 'express';
import { accountLookup } from '../../accounts/account-lookup';
import type { AccountsService } from '../../accounts/accounts.service';
import { AccessPolicy } from '../../auth/access-policy';
import { API_KEY_SCOPE_OF_ROUTE, requireApiKeyScope } from '../../auth/api-key-scopes';
import { authenticate } from '../../auth/bearer';
import type { TokenVerifier } from '../../auth/jwt';
import { badInput, DomainError, ErrorCode } from '../../common/domain-error';
import { sendRefusal } from '../../common/http-refusals';
import type { Logger } from '../../common/logger';
import { documentNumber } from './document-number';
import { ReceiptLanguage } from './receipt.enums';
import { renderReceiptPdf } from './receipt-pdf';
import type { ReceiptsService } from './receipts.service';

interface ReceiptPdfDependencies {
  receipts: Pick<ReceiptsService, 'findById'>;
  accounts: Pick<AccountsService, 'findByIds'>;
  tokens: TokenVerifier;
  logger: Logger;
  /** RECEIPT_TIME_ZONE: the zone of the dates printed. */
  timeZone: string;
}

const PDF_FILE = /^(\d{1,15})\.pdf$/;
const LANGUAGES = new Set<string>(Object.values(ReceiptLanguage));

/**
 * `GET /receipts/{id}.pdf[?lang=en|vi]`: the receipt as a PDF document, with the bearer token and the
 * access rule of `receipt(id)` (whoever may see the purchase; an id that is nobody's is refused like
 * another account's). In English or Vietnamese: `lang`, else Vietnamese for a buyer billed in
 * Vietnam and English otherwise. Refusals are JSON with the GraphQL error shape.
 */
export function createReceiptPdfRouter(dependencies: ReceiptPdfDependencies): Router {
  const router = Router();
  router.get('/receipts/:file', async (request: Request, response: Response) => {
    const file = PDF_FILE.exec(String(request.params.file));
    if (!file) {
      response.status(404).json({ errors: [{ message: 'No such document: receipts are at /receipts/{id}.pdf.', extensions: { code: ErrorCode.NOT_FOUND } }] });
      return;
    }
    let pdf: Buffer;
    let fileName: string;
    try {
      const principal = await authenticate(dependencies.tokens, request.header('authorization'));
      requireApiKeyScope(principal, 'GET /receipts/{id}.pdf', API_KEY_SCOPE_OF_ROUTE.receipts);
      const receipt = await dependencies.receipts.findById(file[1]);
      await AccessPolicy.readBelonging(principal, { what: 'receipt', accountId: receipt?.accountId ?? null }, accountLookup(dependencies.accounts));
      const number = documentNumber(receipt!);
      if (!number) throw new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'This receipt is being numbered; try again in a moment.', { retryable: true });
      const language = languageOf(request.query.lang) ?? (receipt!.billingCountry === 'VN' ? ReceiptLanguage.VI : ReceiptLanguage.EN);
      pdf = await renderReceiptPdf(receipt!, { language, timeZone: dependencies.timeZone });
      fileName = `${number}.pdf`;
    } catch (error) {
      sendRefusal(dependencies.logger, response, error);
      return;
    }
    response.status(200);
    response.setHeader('content-type', 'application/pdf');
    response.setHeader('content-disposition', `inline; filename="${fileName}"`);
    response.setHeader('cache-control', 'private, no-store');
    response.end(pdf);
  });
  return router;
}

function languageOf(value: unknown): ReceiptLanguage | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !LANGUAGES.has(value.toLowerCase())) throw badInput('lang must be en or vi.', { field: 'lang' });
  return value.toLowerCase() as ReceiptLanguage;
}
