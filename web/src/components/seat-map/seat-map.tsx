import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { Seat, SeatStatus } from '../../api/types';
import { useFormat } from '../../i18n/format';
import { intersects, nearestInDirection, type Box, type SeatMapGeometry, type SectionGeometry } from './geometry';
import { SeatDefs, SeatGlyph, type SeatLook } from './seat-glyph';

/** Above this many seats in view, sections are drawn as shapes (the overview); zoom in to pick seats. */
export const SEAT_RENDER_BUDGET = 3000;

interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Pointers down on the map: one pans, two pinch-zoom. */
interface DragState {
  pointers: Map<number, { x: number; y: number }>;
  moved: number;
  startDistance?: number;
  startView?: View;
}

export interface SeatMapProps {
  geometry: SeatMapGeometry;
  kind: 'venue' | 'vehicle';
  prices: Record<string, number>;
  currency: string;
  colours: Map<string, string>;
  /** The live status of a seat (from the seat map and the stream). */
  statusOf: (seatId: string) => SeatStatus;
  /** Changes whenever any status changes, so the map redraws. */
  statusVersion: number;
  selected: ReadonlySet<string>;
  onToggle: (seat: Seat) => void;
  /** Optional: a label for the whole map ("Seat map of Screen 1"). */
  label: string;
}

function boxView(box: Box): View {
  return { x: box.x0, y: box.y0, w: box.x1 - box.x0, h: box.y1 - box.y0 };
}

function viewBox(view: View): string {
  return `${view.x} ${view.y} ${view.w} ${view.h}`;
}

function viewToBox(view: View): Box {
  return { x0: view.x, y0: view.y, x1: view.x + view.w, y1: view.y + view.h };
}

function lookOf(status: SeatStatus, selected: boolean): SeatLook {
  if (selected) return 'selected';
  return status;
}

/** A section's name and outline (drawn at once; its seats may arrive over a few frames). */
const SectionFrame = memo(function SectionFrame({ section, radius }: { section: SectionGeometry; radius: number }) {
  return (
    <g>
      <text
        x={section.box.x0}
        y={section.box.y0 - radius * 0.6}
        fontSize={radius * 1.6}
        fill="currentColor"
        fontWeight="600"
      >
        {section.name}
      </text>
      <rect
        x={section.box.x0}
        y={section.box.y0}
        width={section.box.x1 - section.box.x0}
        height={section.box.y1 - section.box.y0}
        rx={radius}
        fill="none"
        stroke="currentColor"
        strokeOpacity={0.25}
        strokeWidth={radius * 0.15}
      />
    </g>
  );
});

/** Up to SEAT_CHUNK seats of one section. */
interface SeatChunk {
  key: string;
  seats: Seat[];
}

/** Seats are mounted this many at a time, one batch per frame, so zooming into new sections never blocks. */
const SEAT_CHUNK = 250;

const SeatChunkView = memo(function SeatChunkView(props: {
  seats: Seat[];
  radius: number;
  kind: 'venue' | 'vehicle';
  colours: Map<string, string>;
  statusOf: (seatId: string) => SeatStatus;
  statusVersion: number;
  selected: ReadonlySet<string>;
  focusId: string | null;
  describe: (seat: Seat, status: SeatStatus, selected: boolean) => string;
}) {
  const { radius, kind } = props;
  return (
    <g>
      {props.seats.map((seat) => {
        const status = props.statusOf(seat.id);
        const isSelected = props.selected.has(seat.id);
        const look = lookOf(status, isSelected);
        const unavailable = !isSelected && status !== 'available';
        return (
          <g
            key={seat.id}
            className="seat"
            data-seat={seat.id}
            role="checkbox"
            aria-checked={isSelected}
            aria-disabled={unavailable || undefined}
            aria-label={props.describe(seat, status, isSelected)}
            tabIndex={props.focusId === seat.id ? 0 : -1}
            style={{ cursor: unavailable ? 'not-allowed' : 'pointer' }}
          >
            <SeatGlyph
              x={seat.x}
              y={seat.y}
              r={radius}
              look={look}
              colour={props.colours.get(seat.category) ?? '#64748b'}
              wheelchair={seat.flags.includes('wheelchair')}
              companion={seat.flags.includes('companion')}
              berth={seat.flags.includes('berth_lower') || seat.flags.includes('berth_upper')}
              label={kind === 'vehicle' ? seat.number : undefined}
            />
          </g>
        );
      })}
    </g>
  );
});

/**
 * The seat map, drawn in SVG from the layout. Small maps (a cinema, a bus) show every seat; a stadium
 * first shows its sections (with seats free and the lowest price), and only the seats of the sections in
 * view once zoomed in — so a 40,000-seat map stays fast on a phone. Zoom with the buttons, the wheel or
 * a pinch; pan by dragging. Keyboard: Tab to the map, arrow keys between seats, Space or Enter to pick.
 */
export function SeatMap(props: SeatMapProps) {
  const { geometry, statusOf, statusVersion, selected, onToggle } = props;
  const { t } = useTranslation();
  const format = useFormat();
  const svgRef = useRef<SVGSVGElement>(null);
  const full = useMemo(() => boxView(geometry.bounds), [geometry]);
  const [view, setView] = useState<View>(full);
  const liveView = useRef<View>(full);
  const commitTimer = useRef<number | undefined>(undefined);
  const [focusId, setFocusId] = useState<string | null>(null);
  const dragging = useRef<{
    pointers: Map<number, { x: number; y: number }>;
    moved: number;
    startDistance?: number;
    startView?: View;
  } | null>(null);
  const suppressClick = useRef(false);

  useEffect(() => {
    liveView.current = full;
    setView(full);
  }, [full]);

  // A seat's spoken name, built from words looked up once per language (thousands of seats are drawn).
  const describe = useMemo(() => {
    const marker = { row: '\u0001', number: '\u0002' };
    const seatName = t('seatMap.seatName', marker);
    const states: Record<SeatStatus | 'selected', string> = {
      available: t('seatMap.state.available'),
      held: t('seatMap.state.held'),
      sold: t('seatMap.state.sold'),
      blocked: t('seatMap.state.blocked'),
      selected: t('seatMap.state.selected'),
    };
    const flagWords: [string, string][] = [
      ['wheelchair', t('seatMap.wheelchair')],
      ['companion', t('seatMap.companion')],
      ['berth_lower', t('seatMap.berthLower')],
      ['berth_upper', t('seatMap.berthUpper')],
      ['window', t('seatMap.window')],
      ['aisle', t('seatMap.aisle')],
    ];
    const priceOf = new Map(
      Object.entries(props.prices).map(([category, amount]) => [category, format.money(amount, props.currency)]),
    );
    const noPrice = t('seatMap.noPrice');
    return (seat: Seat, status: SeatStatus, isSelected: boolean) => {
      let text = `${seatName.replace(marker.row, seat.row).replace(marker.number, seat.number)}, ${seat.category}, ${priceOf.get(seat.category) ?? noPrice}, ${isSelected ? states.selected : states[status]}`;
      if (seat.flags.length > 0)
        for (const [flag, word] of flagWords) if (seat.flags.includes(flag)) text += `, ${word}`;
      return text;
    };
  }, [t, format, props.prices, props.currency]);

  // Which sections are in view, and whether their seats fit the budget.
  const visible = useMemo(() => {
    const box = viewToBox(view);
    const inView = geometry.sections.filter((section) => intersects(section.box, box));
    const seatCount = inView.reduce((sum, section) => sum + section.seats.length, 0);
    return { sections: inView, showSeats: seatCount <= SEAT_RENDER_BUDGET };
  }, [geometry, view]);

  const availability = useMemo(() => {
    const counts = new Map<string, { available: number; minPrice: number | null }>();
    for (const section of geometry.sections) {
      let available = 0;
      let minPrice: number | null = null;
      for (const seat of section.seats) {
        if (statusOf(seat.id) !== 'available') continue;
        available++;
        const price = props.prices[seat.category];
        if (price !== undefined && (minPrice === null || price < minPrice)) minPrice = price;
      }
      counts.set(section.id, { available, minPrice });
    }
    return counts;
    // statusVersion stands for every status change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [geometry, statusVersion, props.prices]);

  const applyView = useCallback(
    (next: View, commit: 'now' | 'soon' = 'soon') => {
      const minW = geometry.radius * 24;
      const maxW = full.w * 1.5;
      const w = Math.min(maxW, Math.max(minW, next.w));
      const h = (next.h * w) / next.w;
      const cx = Math.min(full.x + full.w, Math.max(full.x, next.x + next.w / 2));
      const cy = Math.min(full.y + full.h, Math.max(full.y, next.y + next.h / 2));
      const clamped = { x: cx - w / 2, y: cy - h / 2, w, h };
      liveView.current = clamped;
      svgRef.current?.setAttribute('viewBox', viewBox(clamped));
      window.clearTimeout(commitTimer.current);
      if (commit === 'now') setView(clamped);
      else commitTimer.current = window.setTimeout(() => setView(liveView.current), 120);
    },
    [full, geometry.radius],
  );

  /** Zooms by `factor` (>1 zooms in) around a point in layout units (default: the centre). */
  const zoom = useCallback(
    (factor: number, around?: { x: number; y: number }) => {
      const current = liveView.current;
      const cx = around?.x ?? current.x + current.w / 2;
      const cy = around?.y ?? current.y + current.h / 2;
      const w = current.w / factor;
      const h = current.h / factor;
      applyView({ x: cx - ((cx - current.x) * w) / current.w, y: cy - ((cy - current.y) * h) / current.h, w, h });
    },
    [applyView],
  );

  const toLayoutPoint = (clientX: number, clientY: number) => {
    const svg = svgRef.current;
    const matrix = svg?.getScreenCTM();
    if (!svg || !matrix) return undefined;
    const point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y };
  };

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const point = toLayoutPoint(event.clientX, event.clientY);
      zoom(Math.exp(-event.deltaY * 0.0015), point);
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [zoom]);

  const unitsPerPixel = () => {
    const svg = svgRef.current;
    const current = liveView.current;
    if (!svg) return 1;
    const rect = svg.getBoundingClientRect();
    return Math.max(current.w / rect.width, current.h / rect.height);
  };

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    const state: DragState = dragging.current ?? { pointers: new Map(), moved: 0 };
    state.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (state.pointers.size === 2) {
      const [a, b] = [...state.pointers.values()];
      state.startDistance = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      state.startView = liveView.current;
    }
    dragging.current = state;
    suppressClick.current = false;
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const state = dragging.current;
    const last = state?.pointers.get(event.pointerId);
    if (!state || !last) return;
    const dx = event.clientX - last.x;
    const dy = event.clientY - last.y;
    state.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    state.moved += Math.abs(dx) + Math.abs(dy);
    if (state.moved > 6) {
      suppressClick.current = true;
      if (!svgRef.current?.hasPointerCapture(event.pointerId)) svgRef.current?.setPointerCapture(event.pointerId);
    }
    if (state.pointers.size === 2 && state.startDistance && state.startView) {
      const [a, b] = [...state.pointers.values()];
      const distance = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      const factor = distance / state.startDistance;
      const centre = toLayoutPoint((a!.x + b!.x) / 2, (a!.y + b!.y) / 2);
      const start = state.startView;
      const w = start.w / factor;
      const h = start.h / factor;
      const cx = centre?.x ?? start.x + start.w / 2;
      const cy = centre?.y ?? start.y + start.h / 2;
      applyView({ x: cx - ((cx - start.x) * w) / start.w, y: cy - ((cy - start.y) * h) / start.h, w, h });
      return;
    }
    if (state.moved > 6) {
      const scale = unitsPerPixel();
      const current = liveView.current;
      applyView({ ...current, x: current.x - dx * scale, y: current.y - dy * scale });
    }
  };

  const onPointerUp = (event: PointerEvent<SVGSVGElement>) => {
    const state = dragging.current;
    if (!state) return;
    state.pointers.delete(event.pointerId);
    if (state.pointers.size < 2) delete state.startDistance;
    if (state.pointers.size === 0) dragging.current = null;
  };

  const zoomToSection = (section: SectionGeometry) => {
    const box = section.box;
    const pad = geometry.radius * 4;
    const target = { x: box.x0 - pad, y: box.y0 - pad * 2, w: box.x1 - box.x0 + pad * 2, h: box.y1 - box.y0 + pad * 3 };
    // Keep the map's aspect so the section fills the frame.
    const aspect = full.w / full.h;
    if (target.w / target.h > aspect) {
      const h = target.w / aspect;
      target.y -= (h - target.h) / 2;
      target.h = h;
    } else {
      const w = target.h * aspect;
      target.x -= (w - target.w) / 2;
      target.w = w;
    }
    applyView(target, 'now');
    const first = section.seats.find((seat) => statusOf(seat.id) === 'available') ?? section.seats[0];
    if (first) setFocusId(first.id);
  };

  const rendered = useMemo(() => (visible.showSeats ? visible.sections : []), [visible]);
  const renderedSeats = useMemo(() => rendered.flatMap((section) => section.seats), [rendered]);
  const chunks = useMemo(() => {
    const list: SeatChunk[] = [];
    for (const section of rendered) {
      for (let i = 0; i < section.seats.length; i += SEAT_CHUNK) {
        list.push({ key: `${section.id}:${i}`, seats: section.seats.slice(i, i + SEAT_CHUNK) });
      }
    }
    return list;
  }, [rendered]);
  // Chunks already on screen stay; new ones are added one per frame (the first at once).
  const mounted = useRef(new Set<string>());
  const [, setMountTick] = useState(0);
  useEffect(() => {
    const wanted = new Set(chunks.map((chunk) => chunk.key));
    for (const key of [...mounted.current]) if (!wanted.has(key)) mounted.current.delete(key);
    let frame = 0;
    const step = () => {
      const next = chunks.find((chunk) => !mounted.current.has(chunk.key));
      if (!next) return;
      mounted.current.add(next.key);
      setMountTick((tick) => tick + 1);
      frame = requestAnimationFrame(step);
    };
    step();
    return () => cancelAnimationFrame(frame);
  }, [chunks]);
  const shownChunks = chunks.filter((chunk) => mounted.current.has(chunk.key));

  // One focus ring, drawn where the keyboard focus is (a ring per seat would double the elements).
  const [focusRing, setFocusRing] = useState<Seat | null>(null);
  // The roving tab stop: the focused seat if drawn, else the first seat a buyer could pick.
  const tabSeatId = useMemo(() => {
    if (focusId && renderedSeats.some((seat) => seat.id === focusId)) return focusId;
    return (renderedSeats.find((seat) => statusOf(seat.id) === 'available') ?? renderedSeats[0])?.id ?? null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusId, renderedSeats, statusVersion]);

  const pendingFocus = useRef<string | null>(null);
  useLayoutEffect(() => {
    if (!pendingFocus.current) return;
    const element = svgRef.current?.querySelector<SVGGElement>(`[data-seat="${pendingFocus.current}"]`);
    if (element) {
      element.focus();
      pendingFocus.current = null;
    }
  });

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const target = event.target as Element;
    const seatId = target.closest('[data-seat]')?.getAttribute('data-seat');
    const sectionId = target.closest('[data-section]')?.getAttribute('data-section');
    if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      zoom(1.4);
      return;
    }
    if (event.key === '-') {
      event.preventDefault();
      zoom(1 / 1.4);
      return;
    }
    if (sectionId && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      const section = geometry.sections.find((candidate) => candidate.id === sectionId);
      if (section) {
        zoomToSection(section);
        pendingFocus.current =
          section.seats.find((seat) => statusOf(seat.id) === 'available')?.id ?? section.seats[0]?.id ?? null;
      }
      return;
    }
    if (!seatId) return;
    const seat = geometry.seatById.get(seatId);
    if (!seat) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onToggle(seat);
      return;
    }
    if (event.key === 'Escape' && geometry.seatCount > SEAT_RENDER_BUDGET) {
      event.preventDefault();
      applyView(full, 'now');
      return;
    }
    const direction = ({ ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' } as const)[
      event.key as 'ArrowLeft'
    ];
    if (!direction) return;
    event.preventDefault();
    // Within the seats drawn, and across into a neighbouring section when the map is zoomed in.
    const next =
      nearestInDirection(seat, renderedSeats, direction) ??
      nearestInDirection(seat, geometry.seatById.values(), direction);
    if (!next) return;
    const current = liveView.current;
    const r = geometry.radius * 2;
    if (
      next.x - r < current.x ||
      next.x + r > current.x + current.w ||
      next.y - r < current.y ||
      next.y + r > current.y + current.h
    ) {
      applyView({ ...current, x: next.x - current.w / 2, y: next.y - current.h / 2 }, 'now');
    }
    setFocusId(next.id);
    pendingFocus.current = next.id;
  };

  const onClick = (event: React.MouseEvent<SVGSVGElement>) => {
    if (suppressClick.current) {
      suppressClick.current = false;
      return;
    }
    const target = event.target as Element;
    const seatId = target.closest('[data-seat]')?.getAttribute('data-seat');
    if (seatId) {
      const seat = geometry.seatById.get(seatId);
      if (seat) {
        setFocusId(seat.id);
        onToggle(seat);
      }
      return;
    }
    const sectionId = target.closest('[data-section]')?.getAttribute('data-section');
    const section = sectionId ? geometry.sections.find((candidate) => candidate.id === sectionId) : undefined;
    if (section) zoomToSection(section);
  };

  const zoomedIn = view.w < full.w * 0.98;
  const big = geometry.seatCount > SEAT_RENDER_BUDGET;
  const aspect = full.w / full.h;
  return (
    <div className="seat-map flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <div className="join" role="group" aria-label={t('seatMap.zoom')}>
          <button
            type="button"
            className="btn btn-sm join-item"
            onClick={() => zoom(1.5)}
            aria-label={t('seatMap.zoomIn')}
            title={t('seatMap.zoomIn')}
          >
            <span aria-hidden="true">+</span>
          </button>
          <button
            type="button"
            className="btn btn-sm join-item"
            onClick={() => zoom(1 / 1.5)}
            aria-label={t('seatMap.zoomOut')}
            title={t('seatMap.zoomOut')}
          >
            <span aria-hidden="true">−</span>
          </button>
          <button
            type="button"
            className="btn btn-sm join-item"
            disabled={!zoomedIn}
            onClick={() => applyView(full, 'now')}
          >
            {t('seatMap.wholeMap')}
          </button>
        </div>
        <p className="text-base-content/80 text-sm" id="seat-map-help">
          {big && !visible.showSeats ? t('seatMap.helpOverview') : t('seatMap.help')}
        </p>
      </div>
      <div className="bg-base-200 rounded-box border-base-300 overflow-hidden border">
        <svg
          ref={svgRef}
          role="group"
          aria-label={props.label}
          aria-describedby="seat-map-help"
          viewBox={viewBox(view)}
          preserveAspectRatio="xMidYMid meet"
          className="text-base-content block w-full"
          style={{ aspectRatio: `${Math.max(0.6, Math.min(aspect, 2.2))}`, maxHeight: '75vh' }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onClick={onClick}
          onKeyDown={onKeyDown}
          onFocus={(event) => {
            const seatId = (event.target as Element).getAttribute('data-seat');
            const seat = seatId ? geometry.seatById.get(seatId) : undefined;
            setFocusRing(seat && (event.target as Element).matches(':focus-visible') ? seat : null);
          }}
          onBlur={() => setFocusRing(null)}
          data-mode={visible.showSeats ? 'seats' : 'sections'}
        >
          <SeatDefs radius={geometry.radius} />
          {visible.showSeats
            ? [
                ...rendered.map((section) => (
                  <SectionFrame key={section.id} section={section} radius={geometry.radius} />
                )),
                ...shownChunks.map((chunk) => (
                  <SeatChunkView
                    key={chunk.key}
                    seats={chunk.seats}
                    radius={geometry.radius}
                    kind={props.kind}
                    colours={props.colours}
                    statusOf={statusOf}
                    statusVersion={statusVersion}
                    selected={selected}
                    focusId={tabSeatId}
                    describe={describe}
                  />
                )),
                focusRing ? (
                  <circle
                    key="focus-ring"
                    cx={focusRing.x}
                    cy={focusRing.y}
                    r={geometry.radius * (focusRing.flags.some((flag) => flag.startsWith('berth')) ? 1.9 : 1.45)}
                    fill="none"
                    stroke="currentColor"
                    strokeWidth={geometry.radius * 0.3}
                    pointerEvents="none"
                    data-testid="seat-focus-ring"
                  />
                ) : null,
              ]
            : geometry.sections.map((section) => {
                const counts = availability.get(section.id)!;
                const soldOut = counts.available === 0;
                const box = section.box;
                const width = box.x1 - box.x0;
                const height = box.y1 - box.y0;
                const fontSize = Math.min(width, height) / 5;
                const price = counts.minPrice !== null ? format.money(counts.minPrice, props.currency) : '';
                return (
                  <g
                    key={section.id}
                    className="section-shape"
                    data-section={section.id}
                    role="button"
                    tabIndex={0}
                    aria-label={
                      soldOut
                        ? t('seatMap.sectionSoldOut', { name: section.name, path: section.path })
                        : t('seatMap.sectionLabel', {
                            name: section.name,
                            path: section.path,
                            count: counts.available,
                            n: format.number(counts.available),
                            price,
                          })
                    }
                    style={{ cursor: 'zoom-in' }}
                  >
                    <rect
                      x={box.x0}
                      y={box.y0}
                      width={width}
                      height={height}
                      rx={geometry.radius * 2}
                      fill={soldOut ? '#8b95a1' : (props.colours.get(section.mainCategory) ?? '#64748b')}
                      fillOpacity={soldOut ? 0.5 : 0.85}
                      stroke="currentColor"
                      strokeOpacity={0.3}
                      strokeWidth={geometry.radius * 0.4}
                    />
                    {/* One text element, so the visible words read "N1 896" — the start of its name. */}
                    <text textAnchor="middle" fill="#ffffff" pointerEvents="none">
                      <tspan x={box.x0 + width / 2} y={box.y0 + height / 2} fontSize={fontSize} fontWeight="700">
                        {section.name}
                      </tspan>
                      <tspan x={box.x0 + width / 2} y={box.y0 + height / 2 + fontSize * 1.1} fontSize={fontSize * 0.7}>
                        {' '}
                        {soldOut ? t('seatMap.soldOut') : format.number(counts.available)}
                      </tspan>
                    </text>
                  </g>
                );
              })}
        </svg>
      </div>
    </div>
  );
}
