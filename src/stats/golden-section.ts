/**
 * Golden-section maximum of a unimodal f on [a, b] after `iterations` narrowings of the bracket (each
 * by the golden ratio): the better of the last two interior points and its value.
 */
export function goldenMax(f: (x: number) => number, a: number, b: number, iterations: number): { x: number; value: number } {
  const g = (Math.sqrt(5) - 1) / 2;
  let c1 = b - g * (b - a);
  let c2 = a + g * (b - a);
  let f1 = f(c1);
  let f2 = f(c2);
  for (let k = 0; k < iterations; k++) {
    if (f1 < f2) {
      a = c1;
      c1 = c2;
      f1 = f2;
      c2 = a + g * (b - a);
      f2 = f(c2);
    } else {
      b = c2;
      c2 = c1;
      f2 = f1;
      c1 = b - g * (b - a);
      f1 = f(c1);
    }
  }
  return f1 >= f2 ? { x: c1, value: f1 } : { x: c2, value: f2 };
}
