import { memo } from 'react';

/** How a seat looks: the state is told by shape and marks, not by colour alone. */
export type SeatLook = 'available' | 'selected' | 'held' | 'sold' | 'blocked';

export const HATCH_PATTERN_ID = 'bo-seat-held';
const SOLD_FILL = '#8b95a1';
const BLOCKED_FILL = '#3f4854';

/** The hatch for held seats; put once into each <svg> that draws seats. */
export function SeatDefs({ radius }: { radius: number }) {
  const size = Math.max(radius * 0.9, 0.5);
  return (
    <defs>
      <pattern
        id={HATCH_PATTERN_ID}
        patternUnits="userSpaceOnUse"
        width={size}
        height={size}
        patternTransform="rotate(45)"
      >
        <rect width={size} height={size} fill="#d5dbe1" />
        <line x1="0" y1="0" x2="0" y2={size} stroke="#5b6673" strokeWidth={size * 0.5} />
      </pattern>
    </defs>
  );
}

export interface SeatGlyphProps {
  x: number;
  y: number;
  r: number;
  look: SeatLook;
  colour: string;
  wheelchair?: boolean;
  companion?: boolean;
  berth?: boolean;
  label?: string | undefined;
}

export const SeatGlyph = memo(function SeatGlyph({
  x,
  y,
  r,
  look,
  colour,
  wheelchair,
  companion,
  berth,
  label,
}: SeatGlyphProps) {
  const fill =
    look === 'held'
      ? `url(#${HATCH_PATTERN_ID})`
      : look === 'sold'
        ? SOLD_FILL
        : look === 'blocked'
          ? BLOCKED_FILL
          : colour;
  const stroke = look === 'selected' ? 'var(--color-base-content)' : look === 'held' ? '#5b6673' : 'none';
  const strokeWidth = look === 'selected' ? r * 0.32 : r * 0.12;
  const h = berth ? r * 2.6 : r;
  const shape = berth ? (
    <rect
      x={x - r}
      y={y - h / 2}
      width={r * 2}
      height={h}
      rx={r * 0.4}
      fill={fill}
      stroke={stroke}
      strokeWidth={strokeWidth}
    />
  ) : wheelchair ? (
    <rect
      x={x - r}
      y={y - r}
      width={r * 2}
      height={r * 2}
      rx={r * 0.25}
      fill={fill}
      stroke={stroke}
      strokeWidth={strokeWidth}
    />
  ) : (
    <circle cx={x} cy={y} r={r} fill={fill} stroke={stroke} strokeWidth={strokeWidth} />
  );
  const m = r * 0.45;
  return (
    <>
      {shape}
      {companion && look !== 'sold' && look !== 'blocked' ? (
        <circle cx={x} cy={y} r={r * 0.55} fill="none" stroke="#ffffff" strokeWidth={r * 0.16} />
      ) : null}
      {look === 'selected' ? (
        <path
          d={`M${x - m} ${y} L${x - m * 0.25} ${y + m * 0.75} L${x + m} ${y - m * 0.7}`}
          fill="none"
          stroke="#ffffff"
          strokeWidth={r * 0.3}
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      ) : null}
      {look === 'sold' ? (
        <path
          d={`M${x - m} ${y - m} L${x + m} ${y + m} M${x + m} ${y - m} L${x - m} ${y + m}`}
          stroke="#ffffff"
          strokeWidth={r * 0.22}
          strokeLinecap="round"
        />
      ) : null}
      {look === 'blocked' ? (
        <path d={`M${x - m} ${y} L${x + m} ${y}`} stroke="#ffffff" strokeWidth={r * 0.3} strokeLinecap="round" />
      ) : null}
      {label && (look === 'available' || look === 'held') ? (
        <text
          x={x}
          y={y + (berth ? r * 0.95 : r * 0.32)}
          fontSize={r * (label.length > 3 ? 0.62 : 0.8)}
          textAnchor="middle"
          fill={look === 'held' ? '#1b2430' : '#ffffff'}
          fontWeight="600"
          pointerEvents="none"
        >
          {label}
        </text>
      ) : null}
    </>
  );
});
