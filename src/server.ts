import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { closeContainer, createContainer, type AppDeps } from './container.js';
import { seedDemoData, type DemoSeed } from './demo/demo-seed.js';
import { startJobRunner, type JobRunner } from './jobs/job-runner.js';
import { findBuiltWebApp } from './http/web-app.js';

/** A running Boxoffice: container, HTTP server and (with JOBS_IN_PROCESS) the job workers. */
export interface RunningServer {
  deps: AppDeps;
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/**
 * The platform admin's login. Its password is printed once, on the start that created the account (it is
 * stored only as a hash); log in at /api/auth/login and change it with POST /api/me/password.
 */
function adminBanner(admin: AppDeps['platformAdmin'], configuredEmail: string): string[] {
  if (!admin) {
    return [
      `  Admin:      none — ${configuredEmail} belongs to a non-admin account; set ADMIN_EMAIL to another address`,
    ];
  }
  if (!admin.created) return [`  Admin:      ${admin.email}   (password shown at the first start)`];
  if (admin.generatedPassword === undefined) return [`  Admin:      ${admin.email}   (password from ADMIN_PASSWORD)`];
  return [
    `  Admin:      ${admin.email}`,
    `  Password:   ${admin.generatedPassword}   (shown only this once: log in at /api/auth/login, then change it)`,
  ];
}

function demoStaffBanner(seed: DemoSeed | null): string[] {
  if (!seed) return [];
  return [
    `  Demo staff: ${seed.staff.map((staff) => staff.email).join(', ')}`,
    `              password ${seed.staffPassword}   (shown only this once)`,
  ];
}

export async function startServer(config: Config): Promise<RunningServer> {
  const deps = await createContainer(config);
  // `npm start` builds web/ first (bin/build-web.mjs); without a build the server still serves the API.
  const webRoot = findBuiltWebApp();
  let app: FastifyInstance | undefined;
  let jobs: JobRunner | undefined;
  try {
    app = await buildApp(deps, { webRoot });
    const seeded = config.seedDemo ? await seedDemoData(app, deps) : null;
    const address = await app.listen({ host: config.host, port: config.port });
    const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');

    // Notifications, webhooks and scheduled work (the hold sweep among them) run here unless separate
    // `boxoffice worker` processes do.
    if (config.jobsInProcess) jobs = await startJobRunner(deps, app.log.child({ name: 'jobs' }));

    const mode = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`;
    console.log(
      [
        '',
        `  Boxoffice is running at ${url}`,
        `  Web app:    ${webRoot ? `${url}/` : 'not built (npm run build:web), serving the API only'}`,
        `  API docs:   ${url}/api/docs`,
        `  Database:   ${mode}${seeded ? ' (demo data seeded)' : ''}`,
        `  Seat holds: ${deps.holdStore.name === 'redis' ? 'Redis' : 'SQL (same database)'}`,
        `  Jobs:       ${config.jobsInProcess ? 'in this process' : 'by boxoffice worker processes (JOBS_IN_PROCESS=false)'}`,
        `  Email:      ${deps.mailer.name === 'smtp' ? 'SMTP (SMTP_URL)' : `local mailbox: ${url}/api/admin/mailbox`}`,
        ...adminBanner(deps.platformAdmin, config.adminEmail),
        ...demoStaffBanner(seeded),
        '',
      ].join('\n'),
    );
  } catch (error) {
    await jobs?.stop();
    await app?.close();
    await closeContainer(deps);
    throw error;
  }
  const running = app;
  return {
    deps,
    app: running,
    url: `http://${config.host}:${(running.server.address() as { port: number }).port}`,
    stop: async () => {
      await running.close();
      await jobs?.stop();
      await closeContainer(deps);
    },
  };
}
