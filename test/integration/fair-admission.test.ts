import http from 'node:http';
import { createAccount } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/harness';

/**
 * Fair admission over real HTTP: an address whose requests keep being refused is served one request
 * at a time with two waiting (these small settings). A request of that address whose body is still
 * on its way holds the one place, so of a burst sent meanwhile two wait and the rest are refused at
 * once with 429 RATE_LIMITED; another address, and a valid principal behind the held address that
 * was not refused, go straight in; the address is let go once a window passes without a refusal.
 */
const SETTINGS = {
  TRUST_PROXY_HOPS: '1',
  FAIR_ADMISSION_REFUSALS: '5',
  FAIR_ADMISSION_WINDOW_SECONDS: '3',
  FAIR_ADMISSION_SUSPECT_CONCURRENCY: '1',
  FAIR_ADMISSION_SUSPECT_MAX_WAITING: '2',
};
const ATTACKER = '203.0.113.66';
const OTHER = '198.51.100.7';
const BURST = 20;

interface Answer {
  status: number;
  code: string | null;
  message: string | null;
}

describe('fair admission', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: SETTINGS });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function send(address: string, query: string, token?: string): Promise<Answer> {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    return { status: response.status, code: body.errors?.[0]?.extensions?.code ?? null, message: body.errors?.[0]?.message ?? null };
  }

  /** BURST requests sent at once; the answers by status. */
  async function burst(address: string, token?: string): Promise<{ answered: number; refused: Answer[] }> {
    const answers = await Promise.all(Array.from({ length: BURST }, () => send(address, '{ __typename }', token)));
    const refused = answers.filter((answer) => answer.status !== 200);
    return { answered: answers.length - refused.length, refused };
  }

  /** A request whose body comes only when `finish` is called: admitted, it keeps its place until then. */
  async function slowRequest(address: string, token?: string): Promise<{ finish(): Promise<number> }> {
    const body = JSON.stringify({ query: '{ __typename }' });
    const request = http.request(server.graphqlUrl, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-forwarded-for': address,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    const status = new Promise<number>((resolve, reject) => {
      request.once('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.once('error', reject);
    });
    request.write(body.slice(0, 5));
    request.flushHeaders();
    // Let the server read the headers and admit the request before anything else is sent.
    await new Promise((resolve) => setTimeout(resolve, 200));
    return {
      finish: async () => {
        request.end(body.slice(5));
        return status;
      },
    };
  }

  async function refuseTimes(address: string, times: number, token?: string): Promise<void> {
    for (let index = 0; index < times; index++) expect((await send(address, '{', token)).status).toBe(400);
  }

  it('holds an address that keeps being refused, and only that address', async () => {
    const before = await slowRequest(ATTACKER);
    expect((await burst(ATTACKER)).answered).toBe(BURST);
    expect(await before.finish()).toBe(200);
    await refuseTimes(ATTACKER, 5);

    const slow = await slowRequest(ATTACKER);
    const held = burst(ATTACKER);
    // Meanwhile (the held burst reaches the server, two wait and the rest are refused, before the slow one ends):
    expect(await burst(OTHER)).toEqual({ answered: BURST, refused: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await slow.finish()).toBe(200);
    const { answered, refused } = await held;
    expect(answered).toBe(2);
    expect(refused).toHaveLength(BURST - 2);
    for (const refusal of refused) {
      expect(refusal).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(refusal.message).toMatch(/waiting/);
    }
  });

  it('lets a principal behind the held address in, unless it was refused lately', async () => {
    const neighbour = await server.userToken(await createAccount(server));
    const refusedLately = await server.userToken(await createAccount(server));
    await refuseTimes(ATTACKER, 5);
    const slow = await slowRequest(ATTACKER);
    expect(await burst(ATTACKER, neighbour)).toEqual({ answered: BURST, refused: [] });

    await refuseTimes(ATTACKER, 1, refusedLately);
    const held = burst(ATTACKER, refusedLately);
    // The burst reaches the server, two wait and the rest are refused, before the slow one ends.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await slow.finish();
    expect((await held).answered).toBe(2);
  });

  it('lets the address go once a window passes without a refusal', async () => {
    await refuseTimes(ATTACKER, 5);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const slow = await slowRequest(ATTACKER);
    expect(await burst(ATTACKER)).toEqual({ answered: BURST, refused: [] });
    expect(await slow.finish()).toBe(200);
  });
});
