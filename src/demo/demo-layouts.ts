/**
 * Generated demo seat layouts in the JSON import format (see docs and src/catalog/layout-import.ts).
 * Coordinates are abstract drawing units; the seat map scales them.
 */
interface SeatJson {
  label: string;
  category: string;
  x: number;
  y: number;
  flags?: string[];
}

export function cinemaScreenLayout(name: string, rows: number, seatsPerRow: number) {
  const rowLetters = 'ABCDEFGHJKLMNPQRSTUV'; // no I or O, as cinemas print them
  const rowDocs = Array.from({ length: rows }, (_, r) => {
    const category = r >= rows - 2 ? 'RECLINER' : r >= rows - 5 ? 'PREMIUM' : 'REGULAR';
    const seats: SeatJson[] = [];
    for (let s = 0; s < seatsPerRow; s++) {
      const aisleGap = s >= seatsPerRow / 2 ? 20 : 0;
      const flags: string[] = [];
      if (s === Math.floor(seatsPerRow / 2) - 1 || s === Math.floor(seatsPerRow / 2)) flags.push('aisle');
      if (r === 0 && (s === 0 || s === seatsPerRow - 1)) flags.push('wheelchair');
      if (r === 0 && (s === 1 || s === seatsPerRow - 2)) flags.push('companion');
      seats.push({ label: String(s + 1), category, x: 10 + s * 12 + aisleGap, y: 40 + r * 14, flags });
    }
    return { name: rowLetters[r]!, seats };
  });
  return { name: `${name} layout`, sections: [{ name: 'Stalls', rows: rowDocs }] };
}

/**
 * A stadium of about 21,000 seats: four stands of sectors around a pitch, price tiers by distance to the
 * stage (north), plus a standing floor in front of the stage.
 */
export function concertStadiumLayout() {
  const stands = [
    { name: 'North', sectors: 6, rows: 30, seats: 30, baseCategory: 'GOLD' },
    { name: 'East', sectors: 6, rows: 28, seats: 30, baseCategory: 'SILVER' },
    { name: 'West', sectors: 6, rows: 28, seats: 30, baseCategory: 'SILVER' },
    { name: 'South', sectors: 6, rows: 27, seats: 30, baseCategory: 'BRONZE' },
  ];
  const sections = stands.map((stand, standIndex) => ({
    name: stand.name,
    sections: Array.from({ length: stand.sectors }, (_, sectorIndex) => ({
      name: `${stand.name[0]}${sectorIndex + 1}`,
      rows: Array.from({ length: stand.rows }, (_, r) => {
        const category = r >= stand.rows - 8 ? 'UPPER' : stand.baseCategory;
        const seats: SeatJson[] = Array.from({ length: stand.seats }, (_, s) => {
          // Four stands around a 200 × 200 pitch, sectors side by side with a gap; row 1 is nearest the
          // pitch and the rows climb away from it. The stands never overlap.
          const along = sectorIndex * (stand.seats + 3) + s;
          const depth = r;
          const [x, y] =
            standIndex === 0
              ? [32 + along, 30 - depth]
              : standIndex === 3
                ? [32 + along, 238 + depth]
                : standIndex === 1
                  ? [234 + depth, 34 + along]
                  : [30 - depth, 34 + along];
          // Wheelchair spaces at the ends of the front row, each with a companion seat beside it.
          const flags =
            r === 0 && (s === 0 || s === stand.seats - 1)
              ? ['wheelchair']
              : r === 0 && (s === 1 || s === stand.seats - 2)
                ? ['companion']
                : [];
          return { label: String(s + 1), category, x: x * 4, y: y * 4, flags };
        });
        // Real stadiums skip numbers where stairs cut a row: drop seats 15–16 on the first two rows.
        return { name: String(r + 1), seats: r < 2 ? seats.filter((_, s) => s !== 14 && s !== 15) : seats };
      }),
    })),
  }));
  return {
    name: 'National Stadium Dhaka (concert)',
    sections,
    gaAreas: [{ name: 'Floor (standing)', category: 'FLOOR_GA', capacity: 5000, x: 400, y: 400 }],
  };
}
