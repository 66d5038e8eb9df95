// The UMI of a record (for UMI family collapsing): its RX or MI tag of type Z (or H), or the last
// ':'-separated field of the read name. The same rules as extractUmi in src/count/observations.ts.
// The record has passed its checks, so every aux field lies inside it.

export const UMI_NAME: i32 = 0;

/** Sets umiAt/umiLen for the record at p (tag: two ASCII bytes as t0 | t1 << 8, or UMI_NAME). */
export let umiAt: usize = 0;
export let umiLen: i32 = 0;

export function findUmi(p: usize, aux: usize, end: usize, tag: i32): void {
  umiAt = 0;
  umiLen = 0;
  if (tag == UMI_NAME) {
    const name = p + 36;
    const n = <i32>load<u8>(p + 12) - 1;
    for (let i = n - 1; i >= 0; i--) {
      if (load<u8>(name + <usize>i) == 0x3a) {
        umiAt = name + <usize>(i + 1);
        umiLen = n - i - 1;
        return;
      }
    }
    return;
  }
  const t0 = <u8>(tag & 0xff);
  const t1 = <u8>(tag >> 8);
  let q = aux;
  while (q + 3 <= end) {
    const isTag = load<u8>(q) == t0 && load<u8>(q + 1) == t1;
    const type = load<u8>(q + 2);
    q += 3;
    if (type == 0x5a || type == 0x48) {
      let z = q;
      while (z < end && load<u8>(z) != 0) z++;
      if (isTag) {
        umiAt = q;
        umiLen = <i32>(z - q);
        return;
      }
      q = z + 1;
    } else if (type == 0x42) {
      const sub = load<u8>(q);
      const each: u32 = sub == 0x63 || sub == 0x43 ? 1 : sub == 0x73 || sub == 0x53 ? 2 : 4;
      q += 5 + <usize>(load<u32>(q + 1) * each);
    } else {
      const size: i32 = type == 0x41 || type == 0x63 || type == 0x43 ? 1 : type == 0x73 || type == 0x53 ? 2 : type == 0x64 ? 8 : type == 0x69 || type == 0x49 || type == 0x66 ? 4 : 0;
      if (size == 0 || isTag) return;
      q += <usize>size;
    }
  }
}
