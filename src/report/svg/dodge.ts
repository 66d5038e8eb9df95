/**
 * Horizontal dodging of chart markers so that none hides another: markers are placed in order,
 * each at the nearest free x offset (0, +step, −step, +2·step …) from its own x where its box
 * overlaps no marker placed before. Deterministic: the same input order gives the same positions.
 */
export interface MarkerBox {
  x: number;
  y: number;
}

export function dodge(markers: MarkerBox[], size: number, step = size + 1, maxTries = 24): number[] {
  const placed: MarkerBox[] = [];
  const offsets: number[] = [];
  for (const m of markers) {
    let chosen = 0;
    for (let k = 0; k < maxTries; k++) {
      const off = k === 0 ? 0 : Math.ceil(k / 2) * step * (k % 2 ? 1 : -1);
      const x = m.x + off;
      if (placed.every((p) => Math.abs(p.x - x) >= size || Math.abs(p.y - m.y) >= size)) {
        chosen = off;
        break;
      }
    }
    offsets.push(chosen);
    placed.push({ x: m.x + chosen, y: m.y });
  }
  return offsets;
}

/**
 * Rows for text labels centred at given x positions (widths estimated): each label goes to the
 * first row where it clears the labels already there by `gap`. Returns the row of each label.
 */
export function labelRows(labels: { x: number; width: number }[], gap = 6): number[] {
  const rows: { from: number; to: number }[][] = [];
  const order = labels.map((l, i) => ({ ...l, i })).sort((a, b) => a.x - b.x || a.i - b.i);
  const out = new Array<number>(labels.length).fill(0);
  for (const l of order) {
    const from = l.x - l.width / 2;
    const to = l.x + l.width / 2;
    let row = rows.findIndex((r) => r.every((o) => to + gap <= o.from || from >= o.to + gap));
    if (row < 0) {
      rows.push([]);
      row = rows.length - 1;
    }
    rows[row].push({ from, to });
    out[l.i] = row;
  }
  return out;
}
