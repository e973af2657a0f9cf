/**
 * Seat-layout export in the import formats (see layout-import.ts), so an organizer can download a layout,
 * edit it and upload it again: importing an export gives the same sections, rows and seats. Pure: no I/O.
 */
import type { LayoutContents } from './layout.repository.js';

export interface SeatJson {
  label: string;
  category: string;
  x: number;
  y: number;
  flags?: string[];
}

export interface RowJson {
  name: string;
  seats: SeatJson[];
}

export interface SectionJson {
  name: string;
  rows?: RowJson[];
  sections?: SectionJson[];
}

export interface GaAreaJson {
  name: string;
  category: string;
  capacity: number;
  x: number;
  y: number;
}

export interface LayoutJson {
  name: string;
  sections: SectionJson[];
  gaAreas?: GaAreaJson[];
}

interface SectionNode {
  name: string;
  path: string[];
  rows: Map<string, RowJson>;
  children: SectionNode[];
}

/** Rebuilds the section tree from stored rows; seats keep their drawing order within their row. */
function buildTree(contents: LayoutContents): SectionNode[] {
  const roots: SectionNode[] = [];
  const nodes = new Map<string, SectionNode>();
  for (const section of contents.sections) {
    const parent = section.parent_id ? nodes.get(section.parent_id) : undefined;
    const node: SectionNode = {
      name: section.name,
      path: [...(parent?.path ?? []), section.name],
      rows: new Map(),
      children: [],
    };
    nodes.set(section.id, node);
    (parent ? parent.children : roots).push(node);
  }
  for (const seat of contents.seats) {
    const node = nodes.get(seat.section_id);
    if (!node) continue;
    let row = node.rows.get(seat.row_label);
    if (!row) {
      row = { name: seat.row_label, seats: [] };
      node.rows.set(seat.row_label, row);
    }
    row.seats.push({
      label: seat.seat_label,
      category: seat.category,
      x: seat.x,
      y: seat.y,
      ...(seat.flags.length > 0 ? { flags: seat.flags } : {}),
    });
  }
  return roots;
}

/** The layout in our JSON import format, every seat listed explicitly. */
export function layoutToJson(contents: LayoutContents): LayoutJson {
  const toJson = (node: SectionNode): SectionJson => ({
    name: node.name,
    ...(node.rows.size > 0 ? { rows: [...node.rows.values()] } : {}),
    ...(node.children.length > 0 ? { sections: node.children.map(toJson) } : {}),
  });
  const gaAreas = contents.gaAreas.map((area) => ({
    name: area.name,
    category: area.category,
    capacity: area.capacity,
    x: area.x,
    y: area.y,
  }));
  return {
    name: contents.layout.name,
    sections: buildTree(contents).map(toJson),
    ...(gaAreas.length > 0 ? { gaAreas } : {}),
  };
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(fields: (string | number)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * The layout as CSV: `section,row,seat,category,x,y,flags`, nested sections as a `/` path, flags joined
 * by `|`. A `capacity` column is added only when the layout has general-admission areas.
 */
export function layoutToCsv(contents: LayoutContents): string {
  const withAreas = contents.gaAreas.length > 0;
  const header = ['section', 'row', 'seat', 'category', 'x', 'y', 'flags', ...(withAreas ? ['capacity'] : [])];
  const lines = [csvLine(header)];
  const visit = (node: SectionNode) => {
    const section = node.path.join('/');
    for (const row of node.rows.values()) {
      for (const seat of row.seats) {
        const fields = [section, row.name, seat.label, seat.category, seat.x, seat.y, (seat.flags ?? []).join('|')];
        lines.push(csvLine(withAreas ? [...fields, ''] : fields));
      }
    }
    node.children.forEach(visit);
  };
  buildTree(contents).forEach(visit);
  for (const area of contents.gaAreas) {
    lines.push(csvLine([area.name, '', '', area.category, area.x, area.y, '', area.capacity]));
  }
  return lines.join('');
}
