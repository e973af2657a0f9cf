/**
 * An event's picture: its image when the organizer gave one, else a poster drawn from its title and genre
 * (so a listing never shows empty boxes). The title is rendered as text by React, never as markup.
 */
const PALETTES = [
  ['#0b6477', '#14919b'],
  ['#8a3b12', '#d9822b'],
  ['#6b3fa0', '#a86cc1'],
  ['#1b7a3d', '#57a773'],
  ['#1d5fb8', '#4d8fe0'],
  ['#9b1d42', '#d9486f'],
] as const;

const GLYPHS: Record<string, string> = {
  concert: '♫',
  music: '♫',
  action: '✦',
  drama: '◐',
  family: '☺',
  'sci-fi': '✧',
  comedy: '☻',
  sports: '⚽',
  theatre: '🎭',
};

function hashOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(hash);
}

export function Poster(props: { title: string; category: string; imageUrl: string | null; className?: string }) {
  if (props.imageUrl) {
    return <img src={props.imageUrl} alt="" loading="lazy" className={`object-cover ${props.className ?? ''}`} />;
  }
  const palette = PALETTES[hashOf(props.title) % PALETTES.length]!;
  const glyph = GLYPHS[props.category.toLowerCase()] ?? '★';
  const id = `poster-${hashOf(props.title + props.category)}`;
  return (
    <svg
      viewBox="0 0 300 200"
      role="presentation"
      aria-hidden="true"
      className={props.className}
      preserveAspectRatio="xMidYMid slice"
    >
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor={palette[0]} />
          <stop offset="1" stopColor={palette[1]} />
        </linearGradient>
      </defs>
      <rect width="300" height="200" fill={`url(#${id})`} />
      <circle cx="250" cy="40" r="80" fill="#ffffff" opacity="0.08" />
      <circle cx="40" cy="190" r="60" fill="#000000" opacity="0.08" />
      <text x="24" y="92" fontSize="64" fill="#ffffff" opacity="0.9">
        {glyph}
      </text>
      <text x="24" y="150" fontSize="22" fontWeight="700" fill="#ffffff">
        {props.title.length > 24 ? `${props.title.slice(0, 23)}…` : props.title}
      </text>
      <text x="24" y="176" fontSize="14" fill="#ffffff" opacity="0.85">
        {props.category}
      </text>
    </svg>
  );
}
