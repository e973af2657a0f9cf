import { canManageOrganizer, type Principal } from '../../auth/principal.js';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { requireManagedOrganizer } from '../network.service.js';
import type { FeedFiles } from './gtfs-archive.js';
import {
  checkImportOptions,
  importGtfsFeed,
  type GtfsImportOptions,
  type GtfsImportProgress,
  type GtfsImportResult,
} from './gtfs-import.service.js';
import { findImportRun, insertImportRun, listImportRuns, updateImportRun } from './gtfs-import.repository.js';
import { ProblemLog } from './gtfs-problems.js';

/**
 * Import runs: each import (from the CLI or an upload) is recorded with its phase, counts, problems and
 * result, so the console can show progress and history. The run in progress is also kept in memory:
 * while its transaction writes, the embedded database (one session) answers nothing else, and the
 * console's progress polls must not wait for it.
 */

export type GtfsImportStatus = 'running' | 'succeeded' | 'rejected' | 'failed';

export interface GtfsImportRunView {
  id: string;
  organizerId: string;
  source: string;
  status: GtfsImportStatus;
  phase: string;
  feedKey: string | null;
  options: Omit<GtfsImportOptions, 'organizerId'>;
  progress: GtfsImportProgress;
  result: GtfsImportResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Reads the feed's files, or leaves the reason in the log (not a zip, too large, unreadable). */
export type FeedReader = (log: ProblemLog) => FeedFiles | undefined;

export class GtfsImportRuns {
  private readonly live = new Map<string, GtfsImportRunView>();

  constructor(private readonly db: Db) {}

  /** Runs an import to its end (the CLI), recorded like any other. */
  async run(
    principal: Principal,
    read: FeedReader,
    options: GtfsImportOptions,
    source: string,
    onProgress: (progress: GtfsImportProgress) => void = () => undefined,
  ): Promise<GtfsImportRunView> {
    const view = await this.open(principal, options, source);
    await this.execute(principal, view, read, options, onProgress);
    return view;
  }

  /** Starts an import in the background (an upload) and answers its run at once; poll it with get(). */
  async start(principal: Principal, read: FeedReader, options: GtfsImportOptions, source: string) {
    const view = await this.open(principal, options, source);
    // execute() records its own failures; nothing is left to reject.
    void this.execute(principal, view, read, options, () => undefined).catch(() => undefined);
    return { ...view };
  }

  async get(principal: Principal, runId: string): Promise<GtfsImportRunView> {
    const live = this.live.get(runId);
    if (live) {
      if (!canManageOrganizer(principal, live.organizerId)) throw notFound('GTFS import', runId);
      return { ...live };
    }
    const row = await findImportRun(this.db, runId);
    if (!row || !canManageOrganizer(principal, row.organizer_id)) throw notFound('GTFS import', runId);
    return toView(row);
  }

  async list(principal: Principal, organizerId: string, limit: number): Promise<GtfsImportRunView[]> {
    await requireManagedOrganizer(this.db, principal, organizerId);
    const rows = await listImportRuns(this.db, organizerId, limit);
    return rows.map((row) => {
      const live = this.live.get(row.id);
      return live ? { ...live } : summarize(toView(row));
    });
  }

  /** Waits for the runs this process has in flight (shutdown, tests). */
  async settle(): Promise<void> {
    while ([...this.live.values()].some((run) => run.status === 'running')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async open(principal: Principal, options: GtfsImportOptions, source: string): Promise<GtfsImportRunView> {
    await checkImportOptions(this.db, principal, options);
    for (const run of this.live.values()) {
      if (run.organizerId === options.organizerId && run.status === 'running') {
        throw new AppError('resource.conflict', 'A GTFS import of this organizer is already running; wait for it', {
          importId: run.id,
        });
      }
    }
    const { organizerId, ...rest } = options;
    const view: GtfsImportRunView = {
      id: newId('gtfsImport'),
      organizerId,
      source,
      status: 'running',
      phase: 'queued',
      feedKey: options.feedKey ?? null,
      options: rest,
      progress: { phase: 'queued' },
      result: null,
      error: null,
      createdAt: new Date().toISOString(),
      finishedAt: null,
    };
    await insertImportRun(this.db, { id: view.id, organizerId, source, options: rest, createdBy: principal.userId });
    this.live.set(view.id, view);
    return view;
  }

  private async execute(
    principal: Principal,
    view: GtfsImportRunView,
    read: FeedReader,
    options: GtfsImportOptions,
    onProgress: (progress: GtfsImportProgress) => void,
  ): Promise<void> {
    const report = (progress: GtfsImportProgress) => {
      view.progress = progress;
      view.phase = progress.phase;
      onProgress(progress);
    };
    try {
      report({ phase: 'reading' });
      await updateImportRun(this.db, view.id, { status: 'running', phase: 'reading' });
      const log = new ProblemLog();
      const files = read(log);
      const result = await importGtfsFeed(this.db, principal, files, log, options, (progress) => {
        report(progress);
      });
      view.result = result;
      view.status = result.status;
      view.feedKey = result.feedKey;
      report({ ...view.progress, phase: 'done' });
    } catch (error) {
      view.status = 'failed';
      view.error =
        error instanceof AppError
          ? error.message
          : `The import failed and nothing was imported: ${error instanceof Error ? error.message : String(error)}`;
      view.phase = 'done';
    }
    view.finishedAt = new Date().toISOString();
    try {
      await this.record(view);
    } finally {
      this.live.delete(view.id);
    }
  }

  private async record(view: GtfsImportRunView): Promise<void> {
    try {
      await updateImportRun(this.db, view.id, {
        status: view.status,
        phase: view.phase,
        feedKey: view.feedKey,
        feedId: view.result?.feedId ?? null,
        counts: view.progress,
        problems: view.result?.problems ?? [],
        problemCounts: view.result?.problemCounts ?? [],
        result: view.result ? { ...view.result, problems: undefined } : null,
        error: view.error,
        finished: true,
      });
    } catch (error) {
      // Keep at least the outcome, so the run never stays 'running'.
      await updateImportRun(this.db, view.id, {
        status: view.status === 'running' ? 'failed' : view.status,
        phase: 'done',
        error:
          view.error ??
          `The import's record could not be written: ${error instanceof Error ? error.message : String(error)}`,
        finished: true,
      });
    }
  }
}

type ImportRunRow = NonNullable<Awaited<ReturnType<typeof findImportRun>>>;

function toView(row: ImportRunRow): GtfsImportRunView {
  const result = row.result as Omit<GtfsImportResult, 'problems'> | null;
  return {
    id: row.id,
    organizerId: row.organizer_id,
    source: row.source,
    status: row.status,
    phase: row.phase,
    feedKey: row.feed_key,
    options: row.options as GtfsImportRunView['options'],
    progress: row.counts as GtfsImportProgress,
    result: result ? { ...result, problems: row.problems as GtfsImportResult['problems'] } : null,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** A list shows each run without its problem list (the run itself has it). */
function summarize(view: GtfsImportRunView): GtfsImportRunView {
  return view.result ? { ...view, result: { ...view.result, problems: [] } } : view;
}
