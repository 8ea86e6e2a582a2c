// Docker does not run on the build machines, so the container topology is checked by reading the
// files: compose.yaml, the nginx configuration and the Dockerfile.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number | string };
  volumes?: string[];
  ports?: string[];
  restart?: string;
}

const compose = parse(read('compose.yaml')) as { services: Record<string, Service> };
const services = compose.services;
const nginx = read('deploy/nginx.conf');
const dockerfile = read('Dockerfile');

/** The variables .env.example names: the ones the config module reads. */
const knownVariables = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));

describe('compose.yaml', () => {
  it('starts a MariaDB primary and replica, Redis, a release step, the app processes and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'mariadb-primary', 'mariadb-replica', 'migrate', 'nginx', 'redis']);
  });

  it('gives every long-running service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name === 'migrate') continue;
      const test = service.healthcheck?.test ?? [];
      expect({ name, healthcheck: test.length > 1 }).toEqual({ name, healthcheck: true });
    }
    expect(services.app.healthcheck!.test.join(' ')).toContain('/healthz');
  });

  it('configures replication: binary log on the primary, the replica following it with a distinct server id', () => {
    const primary = services['mariadb-primary'];
    const replica = services['mariadb-replica'];
    expect(primary.command).toEqual(expect.arrayContaining(['--log-bin', '--server-id=1']));
    expect(primary.environment).toMatchObject({ MARIADB_REPLICATION_USER: 'replication' });
    expect(replica.command).toEqual(expect.arrayContaining(['--server-id=2', '--read-only=1']));
    expect(replica.environment).toMatchObject({ MARIADB_MASTER_HOST: 'mariadb-primary', MARIADB_REPLICATION_USER: 'replication' });
    expect(replica.depends_on).toEqual({ 'mariadb-primary': { condition: 'service_healthy' } });
    expect(replica.healthcheck!.test).toEqual(expect.arrayContaining(['--replication_io', '--replication_sql', '--replication']));
  });

  it('runs the release step (migrations, then the demo seed) once the primary is healthy, and the apps only after it succeeded', () => {
    const migrate = services.migrate;
    expect(migrate.command).toEqual(['node', 'dist/src/scripts/release.js']);
    expect(existsSync(path.join(ROOT, 'src/scripts/release.ts'))).toBe(true);
    expect(migrate.depends_on).toEqual({ 'mariadb-primary': { condition: 'service_healthy' } });
    expect(services.app.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      'mariadb-primary': { condition: 'service_healthy' },
      'mariadb-replica': { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(migrate.environment).toEqual(services.app.environment);
  });

  it('runs N app processes (default 2) on MariaDB and Redis with the demo data, behind one proxy hop', () => {
    const app = services.app;
    expect(app.deploy?.replicas).toBe('${APP_REPLICAS:-2}');
    expect(app.ports).toBeUndefined();
    const env = app.environment!;
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '4000', REDIS_URL: 'redis://redis:6379', SEED_DEMO_DATA: 'true', TRUST_PROXY_HOPS: '1' });
    expect(new URL(env.DATABASE_URL.replace(/\$\{[^}]*\}/, 'x')).host).toBe('mariadb-primary:3306');
    // History and reports read the replica; money paths stay on the primary.
    expect(new URL(env.DATABASE_REPLICA_URL.replace(/\$\{[^}]*\}/, 'x')).host).toBe('mariadb-replica:3306');
    expect(Object.keys(env).filter((name) => !knownVariables.has(name))).toEqual([]);
  });

  it('bakes in no secret: every password, secret and key comes from the environment', () => {
    const interpolation = /^\$\{[A-Z_]+(?::\?[^}]*|:-)?\}$/;
    for (const [name, service] of Object.entries(services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|_KEY|TOKEN/.test(variable))
          expect({ name, variable, value }).toEqual({ name, variable, value: expect.stringMatching(interpolation) });
        const credentials = /^\w+:\/\/[^:/@]+:([^@]*)@/.exec(String(value));
        if (credentials) expect({ name, variable, password: credentials[1] }).toEqual({ name, variable, password: expect.stringMatching(interpolation) });
      }
    }
  });

  it('puts nginx in front with the repository configuration, the only published port', () => {
    expect(services.nginx.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(services.nginx.depends_on).toEqual({ app: { condition: 'service_healthy' } });
    const published = Object.entries(services).filter(([, service]) => service.ports);
    expect(published.map(([name]) => name)).toEqual(['nginx']);
    expect(services.nginx.ports).toEqual(['${HTTP_PORT:-8080}:8080']);
  });
});

describe('deploy/nginx.conf', () => {
  it('balances over every app process on the app port, re-resolving Docker DNS as the service scales', () => {
    expect(nginx).toMatch(/resolver 127\.0\.0\.11/);
    const upstream = /upstream credits_app \{([^}]*)\}/.exec(nginx)?.[1] ?? '';
    expect(upstream).toMatch(new RegExp(`server app:${services.app.environment!.PORT} resolve;`));
    expect(nginx).toMatch(/listen 8080;/);
    expect(nginx).toMatch(/proxy_pass http:\/\/credits_app;/);
  });

  it('passes WebSocket upgrades through (graphql-ws) and keeps subscriptions open', () => {
    expect(nginx).toMatch(/map \$http_upgrade \$connection_upgrade \{[^}]*default upgrade;/);
    expect(nginx).toMatch(/proxy_http_version 1\.1;/);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(nginx).toMatch(/proxy_read_timeout 1h;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages[stages.length - 1];

  it('builds in one stage and ships only compiled output and production dependencies in the last', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/RUN npm ci /);
    expect(stages[0]).toMatch(/npm run build && npm prune --omit=dev/);
    expect(final).toMatch(/COPY --from=build \/app\/dist dist/);
    expect(final).not.toMatch(/COPY (src|test|migrations)\b/);
    expect(final).toMatch(/CMD \["node", "dist\/src\/main\.js"\]/);
  });

  it('runs as a non-root user with a healthcheck on /healthz', () => {
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
  });
});
