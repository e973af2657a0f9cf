import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SeatMapLayout } from '../../../api/types';
import { saveBlob } from '../../../api/console';
import { buildGeometry, categoryColours } from '../../../components/seat-map/geometry';
import { SeatLegend } from '../../../components/seat-map/legend';
import { SeatMap } from '../../../components/seat-map/seat-map';
import { useFormat } from '../../../i18n/format';
import { Card, Field } from '../console-ui';
import {
  categoriesOf,
  checkDraft,
  fromLayoutCsv,
  fromLayoutJson,
  generateRows,
  newKey,
  nextLabel,
  SEAT_FLAGS,
  toLayoutCsv,
  toLayoutJson,
  type Draft,
  type DraftProblem,
  type RowSpec,
  type SeatFlag,
} from './model';

const HISTORY_LIMIT = 100;

/** The draft with undo and redo: every change pushes the previous draft. */
function useHistory(initial: Draft) {
  const [state, setState] = useState({ past: [] as Draft[], present: initial, future: [] as Draft[] });
  const change = useCallback((next: Draft | ((draft: Draft) => Draft)) => {
    setState((current) => {
      const value = typeof next === 'function' ? next(current.present) : next;
      if (value === current.present) return current;
      return { past: [...current.past, current.present].slice(-HISTORY_LIMIT), present: value, future: [] };
    });
  }, []);
  const undo = useCallback(
    () =>
      setState((current) =>
        current.past.length === 0
          ? current
          : {
              past: current.past.slice(0, -1),
              present: current.past.at(-1)!,
              future: [current.present, ...current.future],
            },
      ),
    [],
  );
  const redo = useCallback(
    () =>
      setState((current) =>
        current.future.length === 0
          ? current
          : { past: [...current.past, current.present], present: current.future[0]!, future: current.future.slice(1) },
      ),
    [],
  );
  const reset = useCallback((draft: Draft) => setState({ past: [], present: draft, future: [] }), []);
  return {
    draft: state.present,
    change,
    undo,
    redo,
    reset,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
  };
}

/** The draft as the seat-map endpoint would send it, every seat available (blocked ones blocked). */
export function previewLayout(draft: Draft): SeatMapLayout {
  const sectionIds = new Map<string, string>();
  const sections: SeatMapLayout['sections'] = [];
  const sectionOf = (path: string): string => {
    let id = sectionIds.get(path);
    if (id) return id;
    const parts = path.split('/');
    const parentId = parts.length > 1 ? sectionOf(parts.slice(0, -1).join('/')) : null;
    id = `preview-section-${sectionIds.size}`;
    sectionIds.set(path, id);
    sections.push({ id, parentId, name: parts.at(-1)!, path: parts.join(' › ') });
    return id;
  };
  return {
    id: 'preview',
    sections,
    gaAreas: draft.areas.map((area) => ({
      id: area.key,
      name: area.name,
      category: area.category,
      capacity: area.capacity,
      available: area.capacity,
      price: null,
    })),
    seats: draft.seats.map((seat) => ({
      id: seat.key,
      sectionId: sectionOf(seat.section),
      row: seat.row,
      number: seat.label,
      label: `${seat.section.split('/').join(' · ')} · ${seat.row} · ${seat.label}`,
      category: seat.category,
      x: seat.x,
      y: seat.y,
      flags: seat.flags,
      ...(seat.deck ? { deck: seat.deck } : {}),
      status: seat.flags.includes('blocked') ? 'blocked' : 'available',
    })),
  };
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boundsOf(draft: Draft): Box {
  const xs = [...draft.seats.map((s) => s.x), ...draft.areas.map((a) => a.x), ...draft.areas.map((a) => a.x + 60)];
  const ys = [...draft.seats.map((s) => s.y), ...draft.areas.map((a) => a.y), ...draft.areas.map((a) => a.y + 30)];
  if (xs.length === 0) return { x0: -20, y0: -20, x1: 200, y1: 120 };
  return { x0: Math.min(...xs) - 20, y0: Math.min(...ys) - 20, x1: Math.max(...xs) + 20, y1: Math.max(...ys) + 20 };
}

export interface DesignerProps {
  kind: 'venue' | 'vehicle';
  initial: Draft;
  /** Saves the draft (as a new layout); resolves when saved. */
  onSave: (draft: Draft) => Promise<void>;
  saving: boolean;
  saveLabel: string;
  /** Shown after the last save. */
  savedNote?: string | null;
}

const defaultSpec = (kind: 'venue' | 'vehicle'): RowSpec => ({
  section: kind === 'venue' ? 'Stalls' : 'Lower deck',
  firstRow: 'A',
  rowCount: kind === 'venue' ? 5 : 10,
  seatsPerRow: kind === 'venue' ? 12 : 4,
  firstNumber: 1,
  direction: 'ltr',
  gapsAfter: kind === 'venue' ? [] : [2],
  shape: 'straight',
  curve: 1,
  category: kind === 'venue' ? 'REGULAR' : 'ECONOMY',
  x: 0,
  y: 0,
  seatPitch: 10,
  rowPitch: 12,
});

/**
 * The seat-map designer: rows of seats by count, numbering direction, aisles (gaps) and straight or curved
 * shape; categories and flags; blocking, moving and deleting seats; undo and redo; import and export as
 * JSON or CSV; a preview as the buyer sees it. Everything is reachable by keyboard: forms for adding and
 * changing, "select row" for choosing, arrow keys on the drawing to move the selection.
 */
export function Designer(props: DesignerProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const history = useHistory(props.initial);
  const { draft, change } = history;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [spec, setSpec] = useState<RowSpec>(() => defaultSpec(props.kind));
  const [gapsText, setGapsText] = useState(() => spec.gapsAfter.join(','));
  const [preview, setPreview] = useState(false);
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [importError, setImportError] = useState<string | null>(null);
  const [categoryText, setCategoryText] = useState('');
  const [step, setStep] = useState(5);
  const [area, setArea] = useState({ name: 'Standing', category: 'GA', capacity: 100 });
  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; box?: Box; additive: boolean } | null>(null);
  const [dragBox, setDragBox] = useState<Box | null>(null);

  const { reset } = history;
  // A new starting point (the saved layout was read again) replaces the draft and its history.
  useEffect(() => reset(props.initial), [props.initial, reset]);

  const categories = useMemo(() => categoriesOf(draft), [draft]);
  const colours = useMemo(() => categoryColours(categories, {}), [categories]);
  const bounds = useMemo(() => boundsOf(draft), [draft]);
  const rows = useMemo(() => {
    const seen = new Map<string, { section: string; row: string; count: number }>();
    for (const seat of draft.seats) {
      const key = `${seat.section}|${seat.row}`;
      const entry = seen.get(key) ?? { section: seat.section, row: seat.row, count: 0 };
      entry.count += 1;
      seen.set(key, entry);
    }
    return [...seen.values()];
  }, [draft]);
  const selectedSeats = draft.seats.filter((seat) => selected.has(seat.key));

  const updateSelected = (update: (seat: Draft['seats'][number]) => Draft['seats'][number]) =>
    change((current) => ({
      ...current,
      seats: current.seats.map((seat) => (selected.has(seat.key) ? update(seat) : seat)),
    }));

  const move = (dx: number, dy: number) => {
    if (selected.size === 0) return;
    updateSelected((seat) => ({ ...seat, x: seat.x + dx, y: seat.y + dy }));
  };

  const onCanvasKey = (event: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const delta = moves[event.key];
    if (delta && selected.size > 0) {
      event.preventDefault();
      move(delta[0], delta[1]);
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && selected.size > 0) {
      event.preventDefault();
      deleteSelected();
    } else if (event.key === 'Escape') {
      setSelected(new Set());
    }
  };

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z') return;
      const target = event.target as HTMLElement | null;
      if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      event.preventDefault();
      if (event.shiftKey) history.redo();
      else history.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [history]);

  const deleteSelected = () => {
    change((current) => ({ ...current, seats: current.seats.filter((seat) => !selected.has(seat.key)) }));
    setSelected(new Set());
  };

  const addRows = () => {
    const gaps = gapsText
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0);
    const seats = generateRows({ ...spec, gapsAfter: gaps });
    change((current) => ({ ...current, seats: [...current.seats, ...seats] }));
    setSelected(new Set(seats.map((seat) => seat.key)));
    // The next block of rows goes below this one, its row labels following on.
    let nextRow = spec.firstRow;
    for (let i = 0; i < spec.rowCount; i++) nextRow = nextLabel(nextRow);
    setSpec((current) => ({
      ...current,
      firstRow: nextRow,
      y: current.y + current.rowCount * current.rowPitch + current.rowPitch,
    }));
  };

  const toPoint = (event: PointerEvent): { x: number; y: number } => {
    const svg = svgRef.current!;
    const point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    const matrix = svg.getScreenCTM();
    const local = matrix ? point.matrixTransform(matrix.inverse()) : point;
    return { x: local.x, y: local.y };
  };

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    const point = toPoint(event);
    drag.current = { ...point, additive: event.shiftKey || event.metaKey || event.ctrlKey };
    (event.target as Element).setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!drag.current) return;
    const point = toPoint(event);
    const box = {
      x0: Math.min(drag.current.x, point.x),
      y0: Math.min(drag.current.y, point.y),
      x1: Math.max(drag.current.x, point.x),
      y1: Math.max(drag.current.y, point.y),
    };
    if (box.x1 - box.x0 > 2 || box.y1 - box.y0 > 2) {
      drag.current.box = box;
      setDragBox(box);
    }
  };
  const onPointerUp = (event: PointerEvent<SVGSVGElement>) => {
    const current = drag.current;
    drag.current = null;
    setDragBox(null);
    if (!current) return;
    if (current.box) {
      const box = current.box;
      const inside = draft.seats.filter((s) => s.x >= box.x0 && s.x <= box.x1 && s.y >= box.y0 && s.y <= box.y1);
      setSelected((before) => new Set([...(current.additive ? before : []), ...inside.map((s) => s.key)]));
      return;
    }
    const key = (event.target as Element).getAttribute('data-key');
    if (!key) {
      if (!current.additive) setSelected(new Set());
      return;
    }
    setSelected((before) => {
      const next = new Set(current.additive ? before : []);
      if (current.additive && before.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  };

  const importFile = async (file: File) => {
    setImportError(null);
    try {
      const text = await file.text();
      const imported = file.name.toLowerCase().endsWith('.csv')
        ? fromLayoutCsv(text, draft.name || file.name.replace(/\.csv$/i, ''))
        : fromLayoutJson(JSON.parse(text));
      change({ ...imported, name: imported.name || draft.name });
      setSelected(new Set());
    } catch {
      setImportError(t('console.designer.importFailed'));
    }
  };

  const save = async () => {
    const found = checkDraft(draft);
    setProblems(found);
    if (found.length > 0) return;
    await props.onSave(draft);
  };

  const radius = 4;
  const flagState = (flag: SeatFlag) => {
    const withFlag = selectedSeats.filter((seat) => seat.flags.includes(flag)).length;
    return withFlag === 0 ? 'none' : withFlag === selectedSeats.length ? 'all' : 'some';
  };

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="flex flex-wrap items-end gap-3">
          <Field label={t('console.designer.layoutName')} className="min-w-56 flex-1">
            {(id) => (
              <input
                id={id}
                className="input input-sm w-full"
                value={draft.name}
                maxLength={200}
                onChange={(event) => change({ ...draft, name: event.target.value })}
              />
            )}
          </Field>
          <div className="join" role="group" aria-label={t('console.designer.history')}>
            <button type="button" className="btn btn-sm join-item" disabled={!history.canUndo} onClick={history.undo}>
              {t('console.designer.undo')}
            </button>
            <button type="button" className="btn btn-sm join-item" disabled={!history.canRedo} onClick={history.redo}>
              {t('console.designer.redo')}
            </button>
          </div>
          <label className="btn btn-sm">
            {t('console.designer.import')}
            <input
              type="file"
              accept=".json,.csv,application/json,text/csv"
              className="sr-only"
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void importFile(file);
                event.target.value = '';
              }}
            />
          </label>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() =>
              saveBlob(
                new Blob([JSON.stringify(toLayoutJson(draft), null, 2)], { type: 'application/json' }),
                `${draft.name || 'layout'}.json`,
              )
            }
          >
            {t('console.designer.exportJson')}
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() =>
              saveBlob(new Blob([`\uFEFF${toLayoutCsv(draft)}`], { type: 'text/csv' }), `${draft.name || 'layout'}.csv`)
            }
          >
            {t('console.designer.exportCsv')}
          </button>
          <button type="button" className="btn btn-sm" aria-pressed={preview} onClick={() => setPreview(!preview)}>
            {preview ? t('console.designer.backToEditing') : t('console.designer.preview')}
          </button>
          <button type="button" className="btn btn-sm btn-primary" disabled={props.saving} onClick={() => void save()}>
            {props.saving ? t('common.saving') : props.saveLabel}
          </button>
        </div>
        {importError ? (
          <p role="alert" className="text-error text-sm">
            {importError}
          </p>
        ) : null}
        {problems.length > 0 ? (
          <div role="alert" className="alert alert-error alert-soft">
            <ul className="list-disc pl-4">
              {problems.map((problem, i) => (
                <li key={i}>
                  {t(`console.designer.problem.${problem.message}`)}
                  {problem.detail ? `: ${problem.detail}` : ''}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {props.savedNote ? (
          <p role="status" className="text-success text-sm font-medium">
            {props.savedNote}
          </p>
        ) : null}
        <p className="text-base-content/80 text-sm" aria-live="polite">
          {t('console.designer.summary', {
            seats: format.number(draft.seats.length),
            rows: format.number(rows.length),
            areas: format.number(draft.areas.length),
            selected: format.number(selected.size),
          })}
        </p>
      </Card>

      {preview ? (
        <Card title={t('console.designer.previewTitle')}>
          <BuyerPreview draft={draft} kind={props.kind} />
        </Card>
      ) : (
        <div className="grid gap-4 xl:grid-cols-[1fr_22rem]">
          <Card title={t('console.designer.drawing')}>
            <p className="text-base-content/80 text-sm">{t('console.designer.drawingHelp')}</p>
            <svg
              ref={svgRef}
              role="application"
              aria-label={t('console.designer.drawingLabel')}
              tabIndex={0}
              className="bg-base-200 rounded-box h-[26rem] w-full touch-none focus-visible:outline-2 focus-visible:outline-offset-2"
              viewBox={`${bounds.x0} ${bounds.y0} ${bounds.x1 - bounds.x0} ${bounds.y1 - bounds.y0}`}
              onKeyDown={onCanvasKey}
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
            >
              {draft.areas.map((area) => (
                <g key={area.key}>
                  <rect
                    x={area.x}
                    y={area.y}
                    width={60}
                    height={30}
                    rx={3}
                    fill={colours.get(area.category)}
                    opacity={0.35}
                  />
                  <text x={area.x + 30} y={area.y + 18} textAnchor="middle" fontSize={6}>
                    {area.name}
                  </text>
                </g>
              ))}
              {draft.seats.map((seat) => {
                const isSelected = selected.has(seat.key);
                const blocked = seat.flags.includes('blocked');
                return (
                  <circle
                    key={seat.key}
                    data-key={seat.key}
                    cx={seat.x}
                    cy={seat.y}
                    r={radius}
                    fill={blocked ? 'transparent' : colours.get(seat.category)}
                    stroke={isSelected ? 'currentColor' : blocked ? '#6b7280' : 'none'}
                    strokeWidth={isSelected ? 1.6 : 1}
                    strokeDasharray={blocked ? '1.5 1' : undefined}
                  >
                    <title>{`${seat.section} · ${seat.row} · ${seat.label} · ${seat.category}`}</title>
                  </circle>
                );
              })}
              {dragBox ? (
                <rect
                  x={dragBox.x0}
                  y={dragBox.y0}
                  width={dragBox.x1 - dragBox.x0}
                  height={dragBox.y1 - dragBox.y0}
                  fill="currentColor"
                  opacity={0.1}
                />
              ) : null}
            </svg>
            <ul className="flex flex-wrap gap-3 text-sm" aria-label={t('console.designer.categories')}>
              {categories.map((category) => (
                <li key={category} className="flex items-center gap-1">
                  <span
                    aria-hidden="true"
                    className="inline-block h-3 w-3 rounded-full"
                    style={{ background: colours.get(category) }}
                  />
                  {category}
                </li>
              ))}
            </ul>
          </Card>

          <div className="flex flex-col gap-4">
            <Card title={t('console.designer.select')}>
              <Field label={t('console.designer.selectRow')}>
                {(id) => (
                  <select
                    id={id}
                    className="select select-sm w-full"
                    value=""
                    onChange={(event) => {
                      const [section, row] = event.target.value.split('|');
                      setSelected(
                        new Set(draft.seats.filter((s) => s.section === section && s.row === row).map((s) => s.key)),
                      );
                    }}
                  >
                    <option value="">{t('console.designer.chooseRow')}</option>
                    {rows.map((row) => (
                      <option key={`${row.section}|${row.row}`} value={`${row.section}|${row.row}`}>
                        {`${row.section} · ${row.row} (${format.number(row.count)})`}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <div className="flex flex-wrap gap-2">
                <button
                  type="button"
                  className="btn btn-xs"
                  onClick={() => setSelected(new Set(draft.seats.map((s) => s.key)))}
                >
                  {t('console.designer.selectAll')}
                </button>
                <button type="button" className="btn btn-xs" onClick={() => setSelected(new Set())}>
                  {t('console.designer.selectNone')}
                </button>
              </div>
            </Card>

            <Card title={t('console.designer.selection', { n: format.number(selected.size) })}>
              {selected.size === 0 ? (
                <p className="text-base-content/80 text-sm">{t('console.designer.nothingSelected')}</p>
              ) : (
                <>
                  <div className="flex items-end gap-2">
                    <Field label={t('console.designer.category')} className="flex-1">
                      {(id) => (
                        <input
                          id={id}
                          className="input input-sm w-full"
                          list="designer-categories"
                          value={categoryText}
                          placeholder={selectedSeats[0]?.category}
                          onChange={(event) => setCategoryText(event.target.value.toUpperCase())}
                        />
                      )}
                    </Field>
                    <button
                      type="button"
                      className="btn btn-sm"
                      disabled={!categoryText}
                      onClick={() => updateSelected((seat) => ({ ...seat, category: categoryText }))}
                    >
                      {t('console.designer.apply')}
                    </button>
                  </div>
                  <fieldset className="flex flex-col gap-1">
                    <legend className="text-sm font-medium">{t('console.designer.flags')}</legend>
                    {SEAT_FLAGS.map((flag) => {
                      const state = flagState(flag);
                      return (
                        <label key={flag} className="flex items-center gap-2 text-sm">
                          <input
                            type="checkbox"
                            className="checkbox checkbox-sm"
                            checked={state === 'all'}
                            ref={(element) => {
                              if (element) element.indeterminate = state === 'some';
                            }}
                            onChange={(event) =>
                              updateSelected((seat) => ({
                                ...seat,
                                flags: event.target.checked
                                  ? [...new Set([...seat.flags, flag])]
                                  : seat.flags.filter((f) => f !== flag),
                              }))
                            }
                          />
                          {t(`console.designer.flag.${flag}`)}
                        </label>
                      );
                    })}
                  </fieldset>
                  <div className="flex flex-wrap items-end gap-2">
                    <Field label={t('console.designer.step')}>
                      {(id) => (
                        <input
                          id={id}
                          type="number"
                          min={1}
                          max={200}
                          className="input input-sm w-20"
                          value={step}
                          onChange={(event) => setStep(Math.max(1, Number(event.target.value) || 1))}
                        />
                      )}
                    </Field>
                    <div className="join" role="group" aria-label={t('console.designer.move')}>
                      <button type="button" className="btn btn-sm join-item" onClick={() => move(-step, 0)}>
                        <span aria-hidden="true">←</span>
                        <span className="sr-only">{t('console.designer.moveLeft')}</span>
                      </button>
                      <button type="button" className="btn btn-sm join-item" onClick={() => move(0, -step)}>
                        <span aria-hidden="true">↑</span>
                        <span className="sr-only">{t('console.designer.moveUp')}</span>
                      </button>
                      <button type="button" className="btn btn-sm join-item" onClick={() => move(0, step)}>
                        <span aria-hidden="true">↓</span>
                        <span className="sr-only">{t('console.designer.moveDown')}</span>
                      </button>
                      <button type="button" className="btn btn-sm join-item" onClick={() => move(step, 0)}>
                        <span aria-hidden="true">→</span>
                        <span className="sr-only">{t('console.designer.moveRight')}</span>
                      </button>
                    </div>
                  </div>
                  <button type="button" className="btn btn-sm btn-error btn-outline" onClick={deleteSelected}>
                    {t('console.designer.deleteSelected')}
                  </button>
                </>
              )}
            </Card>
          </div>
        </div>
      )}

      {!preview ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title={t('console.designer.addRows')}>
            <form
              className="grid grid-cols-2 gap-3 sm:grid-cols-3"
              onSubmit={(event) => {
                event.preventDefault();
                addRows();
              }}
            >
              <Field label={t('console.designer.section')} hint={t('console.designer.sectionHint')}>
                {(id, hint) => (
                  <input
                    id={id}
                    aria-describedby={hint}
                    className="input input-sm w-full"
                    required
                    value={spec.section}
                    onChange={(event) => setSpec({ ...spec, section: event.target.value.replace(/\s*\/\s*/g, '/') })}
                  />
                )}
              </Field>
              <Field label={t('console.designer.firstRow')}>
                {(id) => (
                  <input
                    id={id}
                    className="input input-sm w-full"
                    required
                    maxLength={50}
                    value={spec.firstRow}
                    onChange={(event) => setSpec({ ...spec, firstRow: event.target.value })}
                  />
                )}
              </Field>
              <NumberField
                label={t('console.designer.rowCount')}
                value={spec.rowCount}
                min={1}
                max={100}
                onChange={(rowCount) => setSpec({ ...spec, rowCount })}
              />
              <NumberField
                label={t('console.designer.seatsPerRow')}
                value={spec.seatsPerRow}
                min={1}
                max={500}
                onChange={(seatsPerRow) => setSpec({ ...spec, seatsPerRow })}
              />
              <NumberField
                label={t('console.designer.firstNumber')}
                value={spec.firstNumber}
                min={0}
                max={10000}
                onChange={(firstNumber) => setSpec({ ...spec, firstNumber })}
              />
              <Field label={t('console.designer.direction')}>
                {(id) => (
                  <select
                    id={id}
                    className="select select-sm w-full"
                    value={spec.direction}
                    onChange={(event) => setSpec({ ...spec, direction: event.target.value as RowSpec['direction'] })}
                  >
                    <option value="ltr">{t('console.designer.leftToRight')}</option>
                    <option value="rtl">{t('console.designer.rightToLeft')}</option>
                  </select>
                )}
              </Field>
              <Field label={t('console.designer.gapsAfter')} hint={t('console.designer.gapsHint')}>
                {(id, hint) => (
                  <input
                    id={id}
                    aria-describedby={hint}
                    className="input input-sm w-full"
                    inputMode="numeric"
                    value={gapsText}
                    onChange={(event) => setGapsText(event.target.value)}
                  />
                )}
              </Field>
              <Field label={t('console.designer.shape')}>
                {(id) => (
                  <select
                    id={id}
                    className="select select-sm w-full"
                    value={spec.shape}
                    onChange={(event) => setSpec({ ...spec, shape: event.target.value as RowSpec['shape'] })}
                  >
                    <option value="straight">{t('console.designer.straight')}</option>
                    <option value="curve">{t('console.designer.curved')}</option>
                  </select>
                )}
              </Field>
              {spec.shape === 'curve' ? (
                <NumberField
                  label={t('console.designer.curveDepth')}
                  value={spec.curve}
                  min={0}
                  max={20}
                  onChange={(curve) => setSpec({ ...spec, curve })}
                />
              ) : null}
              <Field label={t('console.designer.category')}>
                {(id) => (
                  <input
                    id={id}
                    className="input input-sm w-full"
                    required
                    pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}"
                    list="designer-categories"
                    value={spec.category}
                    onChange={(event) => setSpec({ ...spec, category: event.target.value.toUpperCase() })}
                  />
                )}
              </Field>
              {props.kind === 'vehicle' ? (
                <NumberField
                  label={t('console.designer.deck')}
                  value={spec.deck ?? 1}
                  min={1}
                  max={2}
                  onChange={(deck) => setSpec({ ...spec, deck })}
                />
              ) : null}
              <NumberField
                label={t('console.designer.originX')}
                value={spec.x}
                min={-100000}
                max={100000}
                onChange={(x) => setSpec({ ...spec, x })}
              />
              <NumberField
                label={t('console.designer.originY')}
                value={spec.y}
                min={-100000}
                max={100000}
                onChange={(y) => setSpec({ ...spec, y })}
              />
              <div className="col-span-full">
                <button type="submit" className="btn btn-sm btn-primary">
                  {t('console.designer.addRowsButton')}
                </button>
              </div>
            </form>
          </Card>
          {props.kind === 'venue' ? (
            <Card title={t('console.designer.addArea')}>
              <form
                className="grid grid-cols-2 gap-3 sm:grid-cols-3"
                onSubmit={(event) => {
                  event.preventDefault();
                  change((current) => ({
                    ...current,
                    areas: [...current.areas, { key: newKey(), ...area, x: bounds.x0 + 20, y: bounds.y1 + 10 }],
                  }));
                }}
              >
                <Field label={t('console.designer.areaName')}>
                  {(id) => (
                    <input
                      id={id}
                      className="input input-sm w-full"
                      required
                      value={area.name}
                      onChange={(event) => setArea({ ...area, name: event.target.value })}
                    />
                  )}
                </Field>
                <Field label={t('console.designer.category')}>
                  {(id) => (
                    <input
                      id={id}
                      className="input input-sm w-full"
                      required
                      value={area.category}
                      onChange={(event) => setArea({ ...area, category: event.target.value.toUpperCase() })}
                    />
                  )}
                </Field>
                <NumberField
                  label={t('console.designer.capacity')}
                  value={area.capacity}
                  min={1}
                  max={1000000}
                  onChange={(capacity) => setArea({ ...area, capacity })}
                />
                <div className="col-span-full flex flex-wrap gap-2">
                  <button type="submit" className="btn btn-sm">
                    {t('console.designer.addAreaButton')}
                  </button>
                </div>
              </form>
              {draft.areas.length > 0 ? (
                <ul className="mt-2 flex flex-col gap-1 text-sm">
                  {draft.areas.map((existing) => (
                    <li key={existing.key} className="flex items-center justify-between gap-2">
                      <span>
                        {existing.name} · {existing.category} · {format.number(existing.capacity)}
                      </span>
                      <button
                        type="button"
                        className="btn btn-xs btn-ghost"
                        onClick={() =>
                          change((current) => ({
                            ...current,
                            areas: current.areas.filter((a) => a.key !== existing.key),
                          }))
                        }
                      >
                        {t('console.designer.removeArea', { name: existing.name })}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </Card>
          ) : null}
        </div>
      ) : null}
      <datalist id="designer-categories">
        {categories.map((category) => (
          <option key={category} value={category} />
        ))}
      </datalist>
    </div>
  );
}

function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <Field label={props.label}>
      {(id) => (
        <input
          id={id}
          type="number"
          className="input input-sm w-full"
          min={props.min}
          max={props.max}
          required
          value={props.value}
          onChange={(event) => {
            const value = Number(event.target.value);
            if (Number.isFinite(value)) props.onChange(value);
          }}
        />
      )}
    </Field>
  );
}

/** The draft drawn by the storefront's own seat map, as a buyer would see it (prices not set yet). */
function BuyerPreview({ draft, kind }: { draft: Draft; kind: 'venue' | 'vehicle' }) {
  const { t } = useTranslation();
  const layout = useMemo(() => previewLayout(draft), [draft]);
  const geometry = useMemo(() => buildGeometry(layout), [layout]);
  const categories = useMemo(() => categoriesOf(draft), [draft]);
  const colours = useMemo(() => categoryColours(categories, {}), [categories]);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const statuses = useMemo(() => new Map(layout.seats.map((seat) => [seat.id, seat.status])), [layout]);
  if (layout.seats.length === 0) return <p>{t('console.designer.nothingToPreview')}</p>;
  return (
    <div className="flex flex-col gap-2">
      <p className="text-base-content/80 text-sm">{t('console.designer.previewHelp')}</p>
      <SeatMap
        geometry={geometry}
        kind={kind}
        prices={{}}
        currency="BDT"
        colours={colours}
        statusOf={(id) => statuses.get(id) ?? 'available'}
        statusVersion={0}
        selected={picked}
        onToggle={(seat) =>
          setPicked((before) => {
            const next = new Set(before);
            if (next.has(seat.id)) next.delete(seat.id);
            else next.add(seat.id);
            return next;
          })
        }
        label={t('console.designer.previewTitle')}
      />
      <SeatLegend
        colours={colours}
        prices={{}}
        currency="BDT"
        flags={{
          wheelchair: draft.seats.some((seat) => seat.flags.includes('wheelchair')),
          companion: draft.seats.some((seat) => seat.flags.includes('companion')),
          berth: draft.seats.some((seat) => seat.flags.some((flag) => flag.startsWith('berth'))),
        }}
      />
    </div>
  );
}
