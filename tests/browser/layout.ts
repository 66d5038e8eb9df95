import type { Page } from 'playwright-core';

/** Layout probes run inside the page: sideways scrolling, overlapping text, overlapping markers, section order. */

export interface Overlap {
  a: string;
  b: string;
}

/** Document wider than the viewport (the page scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * Pairs of visible text boxes from different text nodes that intersect by more than `tol` px in
 * both directions: HTML text per line box (Range.getClientRects), SVG <text> by its box. Text
 * inside SVG <title>/<desc> (never drawn) and in hidden or collapsed content is skipped.
 */
export async function overlappingText(page: Page, tol = 1): Promise<Overlap[]> {
  return page.evaluate((tolerance) => {
    const boxes: { r: DOMRect; node: number; text: string }[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let id = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim();
      const el = n.parentElement;
      if (!text || !el || el.closest('title, desc, style, script')) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      id++;
      if (el instanceof SVGElement) {
        const r = el.getBoundingClientRect();
        if (r.width > 0.5 && r.height > 0.5) boxes.push({ r, node: id, text });
        continue;
      }
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of Array.from(range.getClientRects())) if (r.width > 0.5 && r.height > 0.5) boxes.push({ r, node: id, text });
    }
    boxes.sort((p, q) => p.r.top - q.r.top);
    const out: { a: string; b: string }[] = [];
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i];
      for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom - tolerance; j++) {
        const b = boxes[j];
        if (a.node === b.node) continue;
        const x = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const y = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (x > tolerance && y > tolerance) out.push({ a: a.text.slice(0, 60), b: b.text.slice(0, 60) });
      }
    }
    return out;
  }, tol);
}

/** Pairs of chart markers (the shape inside each g.pt) whose boxes intersect. */
export async function overlappingMarkers(page: Page, tol = 0.5): Promise<Overlap[]> {
  return page.evaluate((tolerance) => {
    const ms = Array.from(document.querySelectorAll('#chart g.pt')).map((g) => ({
      r: (g.firstElementChild as SVGGraphicsElement).getBoundingClientRect(),
      label: `${g.closest('[data-site]')?.getAttribute('data-site')} ${g.getAttribute('data-sample')}`,
    }));
    const out: { a: string; b: string }[] = [];
    for (let i = 0; i < ms.length; i++)
      for (let j = i + 1; j < ms.length; j++) {
        const a = ms[i].r;
        const b = ms[j].r;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > tolerance && y > tolerance) out.push({ a: ms[i].label, b: ms[j].label });
      }
    return out;
  }, tol);
}

/** Top of each element by id (null when absent), in document coordinates. */
export async function tops(page: Page, ids: string[]): Promise<(number | null)[]> {
  return page.evaluate(
    (list) =>
      list.map((id) => {
        const el = document.getElementById(id);
        return el ? el.getBoundingClientRect().top + window.scrollY : null;
      }),
    ids,
  );
}
