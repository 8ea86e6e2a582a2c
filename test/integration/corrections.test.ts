import { codes, type GraphQLResult, startTestServer, TestServer } from '../support/harness';
import { createAccount, grant, newKey } from '../support/fixtures';
import { balancesOf } from '../support/foundation';
import { backdateGrantExpiry, credits, fundTopUp, grantRow, partnerWithCustomer, RECORD_USAGE, TRANSFER, usageEvent } from '../support/partners';
import { parseCsv } from '../support/ledger-activity';
import { adjust, ADJUST_BALANCE, AUDIT_OF, CHANGE_GRANT_EXPIRY, HISTORY_WITH_CORRECTIONS, VOID_GRANT } from '../support/corrections';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('corrections by the platform admin', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.adminToken();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    expect(await server.audit()).toEqual([]);
  });

  const history = async (accountId: string) =>
    (await server.ok(HISTORY_WITH_CORRECTIONS, { accountId }, await server.userToken(accountId))).creditHistory.edges.map(
      (edge: { node: unknown }) => edge.node,
    );
  const auditOf = async (accountId: string, actions: string[]) =>
    (await server.ok(AUDIT_OF, { accountId, actions }, admin)).auditLog.edges.map((edge: { node: unknown }) => edge.node);
  const use = async (accountId: string, amount: string) =>
    (await server.ok(RECORD_USAGE, { events: [usageEvent(accountId, amount)] }, await server.meteringToken())).recordUsage.results[0];

  describe('adjustBalance', () => {
    it('adds to the top-up wallet with its reason in the history (a typed source) and the audit trail', async () => {
      const accountId = await createAccount(server);
      await fundTopUp(server, accountId, credits(10));
      const idempotencyKey = newKey();
      const { data } = await adjust(server, accountId, 'TOPUP', '2.5', { reason: 'goodwill for the outage of 3 Dec', idempotencyKey });
      expect(data.adjustBalance).toEqual({
        correction: {
          id: expect.any(String),
          kind: 'ADJUSTMENT',
          accountId,
          wallet: 'TOPUP',
          amount: '2.500000',
          grantId: null,
          reason: 'goodwill for the outage of 3 Dec',
        },
        balances: { totalBalance: '12.500000', topUpBalance: '12.500000', promotionalBalance: '0.000000' },
      });
      const [row] = await history(accountId);
      expect(row).toEqual({
        type: 'ADJUSTMENT',
        amount: '2.500000',
        topUpBalanceAfter: '12.500000',
        promotionalBalanceAfter: '0.000000',
        description: 'goodwill for the outage of 3 Dec',
        counterparty: { name: 'Platform correction' },
        source: { __typename: 'CreditCorrection', ...data.adjustBalance.correction, accountId: undefined },
      });
      expect(await auditOf(accountId, ['BALANCE_CORRECTED'])).toEqual([
        {
          action: 'BALANCE_CORRECTED',
          targetType: 'ACCOUNT',
          targetId: accountId,
          accountId,
          before: null,
          after: expect.stringContaining('"amountMicros":"2500000"'),
          reason: 'goodwill for the outage of 3 Dec',
          actor: { kind: 'ADMIN' },
        },
      ]);
    });

    it('takes top-up credits back below zero when they were already spent, and the account is flagged depleted', async () => {
      const accountId = await createAccount(server);
      await fundTopUp(server, accountId, credits(3));
      const { data } = await adjust(server, accountId, 'TOPUP', '-5', { reason: 'credited twice by mistake' });
      expect(data.adjustBalance.balances).toEqual({ totalBalance: '-2.000000', topUpBalance: '-2.000000', promotionalBalance: '0.000000' });
      expect((await history(accountId))[0]).toMatchObject({ type: 'ADJUSTMENT', amount: '-5.000000', topUpBalanceAfter: '-2.000000' });
    });

    it('adds promotional credits as a grant that never expires, which usage then draws after the dated grants', async () => {
      const accountId = await createAccount(server);
      await grant(server, accountId, '1', { expiresAt: inDays(5) });
      const { data } = await adjust(server, accountId, 'PROMOTIONAL', '4', { reason: 'promotion entered short' });
      expect(data.adjustBalance.correction).toMatchObject({ wallet: 'PROMOTIONAL', amount: '4.000000', grantId: expect.any(String) });
      expect(data.adjustBalance.balances).toEqual({ totalBalance: '5.000000', topUpBalance: '0.000000', promotionalBalance: '5.000000' });
      const created = await grantRow(server, data.adjustBalance.correction.grantId);
      expect(created).toMatchObject({ accountId, expiresAt: null, reason: 'promotion entered short' });
      expect(created.remainingMicros).toBe(credits(4));
      expect(await use(accountId, '2')).toMatchObject({ status: 'APPLIED', promotionalAmount: '2.000000' });
      expect((await grantRow(server, data.adjustBalance.correction.grantId)).remainingMicros).toBe(credits(3));
    });

    it('takes promotional credits from the grant expiring soonest, and never below zero', async () => {
      const accountId = await createAccount(server);
      const later = (await grant(server, accountId, '5', { expiresAt: inDays(30) })).grantPromotionalCredits.grant.id;
      const sooner = (await grant(server, accountId, '3', { expiresAt: inDays(2) })).grantPromotionalCredits.grant.id;
      const { data } = await adjust(server, accountId, 'PROMOTIONAL', '-4');
      expect(data.adjustBalance.balances.promotionalBalance).toBe('4.000000');
      expect((await grantRow(server, sooner)).remainingMicros).toBe(0n);
      expect((await grantRow(server, later)).remainingMicros).toBe(credits(4));

      const refused = await adjust(server, accountId, 'PROMOTIONAL', '-4.000001');
      expect(codes(refused)).toEqual(['INSUFFICIENT_CREDITS']);
      expect(await balancesOf(server, accountId)).toMatchObject({ promotionalBalance: '4.000000' });
      expect((await history(accountId)).filter((row: { type: string }) => row.type === 'ADJUSTMENT')).toHaveLength(1);
    });

    it('does not count promotional credits past their expiry as something an adjustment can take', async () => {
      const accountId = await createAccount(server);
      const due = (await grant(server, accountId, '5', { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id;
      await grant(server, accountId, '1', { expiresAt: inDays(1) });
      await backdateGrantExpiry(server, due);
      expect(codes(await adjust(server, accountId, 'PROMOTIONAL', '-2'))).toEqual(['INSUFFICIENT_CREDITS']);
    });

    it('answers a replay with the first result and refuses the key with other arguments, changing nothing', async () => {
      const accountId = await createAccount(server);
      const idempotencyKey = newKey();
      const first = await adjust(server, accountId, 'TOPUP', '7', { idempotencyKey });
      await adjust(server, accountId, 'TOPUP', '1');
      expect(await adjust(server, accountId, 'TOPUP', '7', { idempotencyKey })).toEqual(first);
      for (const [wallet, amount, reason] of [
        ['TOPUP', '8', 'correction'],
        ['PROMOTIONAL', '7', 'correction'],
        ['TOPUP', '7', 'another reason'],
      ] as const) {
        expect(codes(await adjust(server, accountId, wallet, amount, { idempotencyKey, reason }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      }
      expect(await balancesOf(server, accountId)).toMatchObject({ topUpBalance: '8.000000', promotionalBalance: '0.000000' });
      expect(await auditOf(accountId, ['BALANCE_CORRECTED'])).toHaveLength(2);
    });

    it('applies 12 racing copies of one adjustment once, and answers each with the same result', async () => {
      const accountId = await createAccount(server);
      const idempotencyKey = newKey();
      const answers = await Promise.all(Array.from({ length: 12 }, () => adjust(server, accountId, 'TOPUP', '3', { idempotencyKey })));
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0].errors).toEqual([]);
      expect((await balancesOf(server, accountId)).topUpBalance).toBe('3.000000');
    });

    it.each([
      ['a zero amount', { amount: '0' }, 'BAD_USER_INPUT'],
      ['an amount beyond one billion credits', { amount: '-1000000000.000001' }, 'BAD_USER_INPUT'],
      ['more than six decimals', { amount: '1.0000001' }, 'BAD_USER_INPUT'],
      ['an empty reason', { reason: '  ' }, 'BAD_USER_INPUT'],
      ['a short idempotency key', { idempotencyKey: 'abc' }, 'BAD_USER_INPUT'],
      ['an unknown account', { accountId: 'no-such-account' }, 'NOT_FOUND'],
      ['the system account', { accountId: 'system' }, 'NOT_FOUND'],
    ])('refuses %s, changing nothing', async (_label, change, code) => {
      const accountId = await createAccount(server);
      const input = { accountId, wallet: 'TOPUP', amount: '1', reason: 'correction', idempotencyKey: newKey(), ...change };
      expect(codes(await server.call(ADJUST_BALANCE, { input }, admin))).toEqual([code]);
      expect(await balancesOf(server, accountId)).toMatchObject({ totalBalance: '0.000000' });
      expect(await auditOf(accountId, ['BALANCE_CORRECTED'])).toEqual([]);
    });

    it('never takes the promotional wallet below zero under 40 racing adjustments, voids and usage', async () => {
      const accountId = await createAccount(server);
      await grant(server, accountId, '6', { expiresAt: inDays(3) });
      const voided = (await grant(server, accountId, '6', { expiresAt: inDays(9) })).grantPromotionalCredits.grant.id;
      const work = [
        ...Array.from({ length: 24 }, () => adjust(server, accountId, 'PROMOTIONAL', '-1')),
        ...Array.from({ length: 8 }, async () => server.call(VOID_GRANT, { input: { grantId: voided, reason: 'entered twice' } }, admin)),
        ...Array.from({ length: 8 }, () => use(accountId, '0.5')),
      ];
      const answers = await Promise.all(work);
      const adjustments = answers.slice(0, 24) as GraphQLResult[];
      const voids = answers.slice(24, 32) as { data: { voidPromotionalGrant: { correction: { amount: string } } } | null; errors: unknown[] }[];
      const applied = adjustments.filter((answer) => answer.errors.length === 0).length;
      expect(codes({ data: null, errors: adjustments.flatMap((answer) => answer.errors) }).every((code) => code === 'INSUFFICIENT_CREDITS')).toBe(true);
      // Every copy answers the one void; or, when the adjustments and usage drew the grant empty first, each is refused.
      for (const answer of voids) expect(answer).toEqual(voids[0]);
      const voidedMicros = voids[0].data ? -BigInt(voids[0].data.voidPromotionalGrant.correction.amount.replace('.', '')) : 0n;
      if (!voids[0].data) expect(codes(voids[0] as never)).toEqual(['GRANT_NOT_ACTIVE']);
      // Usage beyond the promotional balance is taken from top-up credits, so every usage event applies.
      const usage = answers.slice(32) as { status: string; promotionalAmount: string }[];
      const usedMicros = usage.reduce((sum, result) => sum + BigInt(result.promotionalAmount.replace('.', '')), 0n);
      const promotionalMicros = BigInt((await balancesOf(server, accountId)).promotionalBalance.replace('.', ''));
      expect(promotionalMicros).toBeGreaterThanOrEqual(0n);
      expect(promotionalMicros).toBe(credits(12) - BigInt(applied) * credits(1) - voidedMicros - usedMicros);
      expect(await auditOf(accountId, ['PROMOTIONAL_GRANT_VOIDED'])).toHaveLength(voidedMicros > 0n ? 1 : 0);
    });
  });

  describe('voidPromotionalGrant', () => {
    it('voids what is left after partial use, shows it in the history with the reason and in the audit trail', async () => {
      const accountId = await createAccount(server);
      await fundTopUp(server, accountId, credits(1));
      const grantId = (await grant(server, accountId, '10', { expiresAt: inDays(10) })).grantPromotionalCredits.grant.id;
      await use(accountId, '4');
      const { voidPromotionalGrant } = await server.ok(VOID_GRANT, { input: { grantId, reason: 'granted to the wrong account' } }, admin);
      expect(voidPromotionalGrant).toEqual({
        correction: {
          id: expect.any(String),
          kind: 'PROMOTIONAL_GRANT_VOID',
          accountId,
          wallet: 'PROMOTIONAL',
          amount: '-6.000000',
          grantId,
          reason: 'granted to the wrong account',
        },
        grant: { id: grantId, status: 'VOIDED', remaining: '0.000000', voidedAmount: '6.000000' },
        balances: { totalBalance: '1.000000', topUpBalance: '1.000000', promotionalBalance: '0.000000' },
      });
      const [row] = await history(accountId);
      expect(row).toMatchObject({
        type: 'PROMOTIONAL_VOID',
        amount: '-6.000000',
        promotionalBalanceAfter: '0.000000',
        description: 'granted to the wrong account',
        counterparty: { name: 'Promotion voided' },
        source: { __typename: 'CreditCorrection', kind: 'PROMOTIONAL_GRANT_VOID', grantId, reason: 'granted to the wrong account' },
      });
      const [entry] = await auditOf(accountId, ['PROMOTIONAL_GRANT_VOIDED']);
      expect(entry).toMatchObject({ targetType: 'PROMOTIONAL_GRANT', targetId: grantId, reason: 'granted to the wrong account', actor: { kind: 'ADMIN' } });
      expect(JSON.parse(entry.before)).toEqual({ remainingMicros: '6000000' });
      // Usage after the void comes from top-up credits only.
      expect(await use(accountId, '0.5')).toMatchObject({ promotionalAmount: '0.000000', topUpAmount: '0.500000' });
    });

    it('answers a retry with the first void and refuses another reason, changing nothing', async () => {
      const accountId = await createAccount(server);
      const grantId = (await grant(server, accountId, '2')).grantPromotionalCredits.grant.id;
      const first = await server.ok(VOID_GRANT, { input: { grantId, reason: 'duplicate grant' } }, admin);
      await grant(server, accountId, '1');
      expect(await server.ok(VOID_GRANT, { input: { grantId, reason: 'duplicate grant' } }, admin)).toEqual(first);
      expect(codes(await server.call(VOID_GRANT, { input: { grantId, reason: 'other' } }, admin))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
      expect((await balancesOf(server, accountId)).promotionalBalance).toBe('1.000000');
      expect(await auditOf(accountId, ['PROMOTIONAL_GRANT_VOIDED'])).toHaveLength(1);
    });

    it('refuses a used-up or expired grant with GRANT_NOT_ACTIVE, and an unknown one with NOT_FOUND', async () => {
      const accountId = await createAccount(server);
      const usedUp = (await grant(server, accountId, '1')).grantPromotionalCredits.grant.id;
      await use(accountId, '1');
      const expired = (await grant(server, accountId, '2', { expiresAt: inDays(1) })).grantPromotionalCredits.grant.id;
      await backdateGrantExpiry(server, expired);
      for (const grantId of [usedUp, expired]) {
        expect(codes(await server.call(VOID_GRANT, { input: { grantId, reason: 'x' } }, admin))).toEqual(['GRANT_NOT_ACTIVE']);
      }
      for (const grantId of ['999999999', 'not-a-grant']) {
        expect(codes(await server.call(VOID_GRANT, { input: { grantId, reason: 'x' } }, admin))).toEqual(['NOT_FOUND']);
      }
      expect(codes(await server.call(VOID_GRANT, { input: { grantId: usedUp, reason: '' } }, admin))).toEqual(['BAD_USER_INPUT']);
      expect(await auditOf(accountId, ['PROMOTIONAL_GRANT_VOIDED'])).toEqual([]);
    });
  });

  describe('changePromotionalGrantExpiry', () => {
    it('moves an active grant’s expiry, recorded in the audit trail with the reason, no credits moved', async () => {
      const accountId = await createAccount(server);
      const before = inDays(3);
      const grantId = (await grant(server, accountId, '5', { expiresAt: before })).grantPromotionalCredits.grant.id;
      const after = inDays(60);
      const { changePromotionalGrantExpiry } = await server.ok(
        CHANGE_GRANT_EXPIRY,
        { input: { grantId, expiresAt: after, reason: 'campaign extended' } },
        admin,
      );
      expect(changePromotionalGrantExpiry).toEqual({ id: grantId, status: 'ACTIVE', remaining: '5.000000', expiresAt: after });
      const [entry] = await auditOf(accountId, ['PROMOTIONAL_GRANT_EXPIRY_CHANGED']);
      expect(entry).toMatchObject({ targetId: grantId, reason: 'campaign extended', before: JSON.stringify({ expiresAt: before }) });
      expect(JSON.parse(entry.after)).toMatchObject({ expiresAt: after });
      expect((await history(accountId)).map((row: { type: string }) => row.type)).toEqual(['PROMOTIONAL_GRANT']);

      // The same expiry again changes nothing and records nothing; null means it never expires.
      expect(
        (await server.ok(CHANGE_GRANT_EXPIRY, { input: { grantId, expiresAt: after, reason: 'campaign extended' } }, admin)).changePromotionalGrantExpiry,
      ).toEqual(changePromotionalGrantExpiry);
      expect(await auditOf(accountId, ['PROMOTIONAL_GRANT_EXPIRY_CHANGED'])).toHaveLength(1);
      const never = await server.ok(CHANGE_GRANT_EXPIRY, { input: { grantId, expiresAt: null, reason: 'kept for good' } }, admin);
      expect(never.changePromotionalGrantExpiry.expiresAt).toBeNull();
    });

    it('refuses an expiry in the past or beyond ten years, and a grant that is not active', async () => {
      const accountId = await createAccount(server);
      const grantId = (await grant(server, accountId, '5', { expiresAt: inDays(3) })).grantPromotionalCredits.grant.id;
      for (const expiresAt of [new Date(Date.now() - 1000).toISOString(), inDays(11 * 366)]) {
        expect(codes(await server.call(CHANGE_GRANT_EXPIRY, { input: { grantId, expiresAt, reason: 'x' } }, admin))).toEqual(['BAD_USER_INPUT']);
      }
      await server.ok(VOID_GRANT, { input: { grantId, reason: 'voided' } }, admin);
      expect(codes(await server.call(CHANGE_GRANT_EXPIRY, { input: { grantId, expiresAt: inDays(9), reason: 'x' } }, admin))).toEqual(['GRANT_NOT_ACTIVE']);
      expect(codes(await server.call(CHANGE_GRANT_EXPIRY, { input: { grantId: '999999999', expiresAt: inDays(9), reason: 'x' } }, admin))).toEqual([
        'NOT_FOUND',
      ]);
      expect(await auditOf(accountId, ['PROMOTIONAL_GRANT_EXPIRY_CHANGED'])).toEqual([]);
    });

    it('expires a grant at its new, sooner expiry even right after a balance read remembered the old one', async () => {
      const accountId = await createAccount(server);
      const grantId = (await grant(server, accountId, '5', { expiresAt: inDays(30) })).grantPromotionalCredits.grant.id;
      expect((await balancesOf(server, accountId)).promotionalBalance).toBe('5.000000');
      const soon = new Date(Date.now() + 600).toISOString();
      await server.ok(CHANGE_GRANT_EXPIRY, { input: { grantId, expiresAt: soon, reason: 'campaign ended early' } }, admin);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(soon) - Date.now() + 50));
      expect((await balancesOf(server, accountId)).promotionalBalance).toBe('0.000000');
      expect((await history(accountId))[0]).toMatchObject({ type: 'PROMOTIONAL_EXPIRY', amount: '-5.000000' });
    });
  });

  describe('in the partner reports', () => {
    const SUMMARY = /* GraphQL */ `
      query Summary($period: ReportPeriodInput!) {
        creditSummaryReport(period: $period) {
          lines {
            accountId
            openingBalance
            transfersIn
            grants
            adjustmentsIn
            creditsIn
            usage
            transfersOut
            adjustmentsOut
            voids
            creditsOut
            closingBalance
          }
        }
      }
    `;

    it('shows adjustments and voids in the summary, which reconciles, and in its CSV', async () => {
      const { partnerId, customerId, ownerToken } = await partnerWithCustomer(server, credits(100));
      await server.ok(TRANSFER, { input: { customerAccountId: customerId, amount: '20', idempotencyKey: newKey() } }, ownerToken);
      expect((await adjust(server, customerId, 'TOPUP', '5')).errors).toEqual([]);
      expect((await adjust(server, customerId, 'TOPUP', '-2')).errors).toEqual([]);
      const grantId = (await grant(server, customerId, '4')).grantPromotionalCredits.grant.id;
      await server.ok(VOID_GRANT, { input: { grantId, reason: 'wrong customer' } }, admin);
      expect((await adjust(server, partnerId, 'TOPUP', '-7')).errors).toEqual([]);

      const hour = 3_600_000;
      const now = Math.floor(Date.now() / hour) * hour;
      const period = { from: new Date(now - hour).toISOString(), to: new Date(now + 2 * hour).toISOString() };
      const { creditSummaryReport } = await server.ok(SUMMARY, { period }, ownerToken);
      const line = (accountId: string) => creditSummaryReport.lines.find((candidate: { accountId: string }) => candidate.accountId === accountId);
      expect(line(customerId)).toEqual({
        accountId: customerId,
        openingBalance: '0.000000',
        transfersIn: '20.000000',
        grants: '4.000000',
        adjustmentsIn: '3.000000',
        creditsIn: '27.000000',
        usage: '0.000000',
        transfersOut: '0.000000',
        adjustmentsOut: '0.000000',
        voids: '4.000000',
        creditsOut: '4.000000',
        closingBalance: '23.000000',
      });
      expect(line(partnerId)).toMatchObject({ openingBalance: '0.000000', transfersOut: '20.000000', adjustmentsOut: '7.000000', closingBalance: '73.000000' });

      // The top-up report lists the partner's own adjustment (signed), beside its top-up and transfer.
      const { creditTopUpReport } = await server.ok(
        'query ($period: ReportPeriodInput!) { creditTopUpReport(period: $period) { rows { kind accountId amount } } }',
        { period },
        ownerToken,
      );
      expect(creditTopUpReport.rows.filter((row: { kind: string }) => row.kind === 'ADJUSTMENT')).toEqual([
        { kind: 'ADJUSTMENT', accountId: partnerId, amount: '-7.000000' },
      ]);
      const topUpsCsv = await fetch(`${server.url}/reports/top-ups.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${ownerToken}` } });
      expect(parseCsv(await topUpsCsv.text()).filter((row) => row.kind === 'ADJUSTMENT')).toEqual([
        expect.objectContaining({ kind: 'ADJUSTMENT', accountId: partnerId, amount: '-7.000000' }),
      ]);
      // The history CSV lists the corrections with their reasons.
      const historyCsv = await fetch(`${server.url}/history.csv?accountId=${customerId}&types=ADJUSTMENT,PROMOTIONAL_VOID`, {
        headers: { authorization: `Bearer ${await server.userToken(customerId)}` },
      });
      expect(parseCsv(await historyCsv.text()).map((row) => [row.type, row.amount, row.description])).toEqual([
        ['PROMOTIONAL_VOID', '-4.000000', 'wrong customer'],
        ['ADJUSTMENT', '-2.000000', 'correction'],
        ['ADJUSTMENT', '5.000000', 'correction'],
      ]);
      const response = await fetch(`${server.url}/reports/summary.csv?${new URLSearchParams(period)}`, { headers: { authorization: `Bearer ${ownerToken}` } });
      expect(response.status).toBe(200);
      const rows = parseCsv(await response.text());
      const columns = ['accountId', 'adjustmentsIn', 'adjustmentsOut', 'voids', 'closingBalance'] as const;
      expect(rows.map((row) => columns.map((column) => row[column]))).toEqual(
        creditSummaryReport.lines.map((each: Record<string, string>) => columns.map((column) => each[column])),
      );
    });
  });
});
