// A drawer counted by notes and coins, as the shift's open and close take
// it: how many of each taka value, and the total they make. The core checks
// the count again (`shift::CashCount`); this is what the cashier sees add up.
import { DENOMINATIONS_TAKA, type CashCount } from "../generated/types";
import { asciiDigits } from "../money";

/** Pieces typed per note, by taka value; empty fields are none. */
export type Pieces = Record<number, string>;

/** The most pieces of one note a count takes (the core's limit too). */
export const MAX_PIECES = 100_000;

/** How many pieces a field says: a whole number (Latin or Bengali digits),
 * `0` when empty, `null` when it is not a count. */
export function piecesOf(text: string): number | null {
  const plain = asciiDigits(text.trim());
  if (plain === "") return 0;
  if (!/^\d+$/.test(plain)) return null;
  const n = Number(plain);
  return n <= MAX_PIECES ? n : null;
}

/** The total of the pieces in poisha, or the first taka value whose field is not a count. */
export function countTotal(pieces: Pieces): { ok: true; poisha: number } | { ok: false; taka: number } {
  let poisha = 0;
  for (const taka of DENOMINATIONS_TAKA) {
    const n = piecesOf(pieces[taka] ?? "");
    if (n === null) return { ok: false, taka };
    poisha += n * taka * 100;
  }
  return { ok: true, poisha };
}

/** The count as the core takes it: the notes, and the total they make (both, so they must agree). */
export function cashCount(pieces: Pieces): CashCount | null {
  const total = countTotal(pieces);
  if (!total.ok) return null;
  const counted: [number, number][] = DENOMINATIONS_TAKA.map((taka) => [taka, piecesOf(pieces[taka] ?? "") ?? 0]);
  return { totalPoisha: total.poisha, notes: { pieces: counted.filter(([, n]) => n > 0) } };
}
