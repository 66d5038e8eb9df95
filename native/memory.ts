// Linear-memory allocation for the kernel: a bump allocator above the static data. Regions that
// grow (the scan buffer, the mate table, the boundary-row list) are reallocated at the top and
// the old space is abandoned: growth is geometric and rare (a record larger than the buffer, a
// site deeper than the table), so the waste stays below the final size. WebAssembly memory never
// shrinks; one instance serves one count.

let top: usize = 0;

/** Returns `bytes` of 16-byte-aligned memory, growing the memory when needed. */
export function alloc(bytes: usize): usize {
  if (top == 0) top = (__heap_base + 15) & ~15;
  const p = top;
  top = (p + bytes + 15) & ~15;
  const have = <usize>memory.size() << 16;
  if (top > have) {
    const pages = <i32>((top - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) unreachable(); // out of memory: the JS side reports it
  }
  return p;
}

/** Forgets every allocation (a new configuration of the kernel). */
export function resetAlloc(): void {
  top = 0;
}
