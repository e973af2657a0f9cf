import type { AppDeps } from '../container.js';

/** Seeds the demo catalog on first start (when there are no organizers yet). Returns whether it seeded. */
export async function seedDemoData(deps: AppDeps): Promise<boolean> {
  const existing = await deps.database.db.selectFrom('organizers').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  return false;
}
