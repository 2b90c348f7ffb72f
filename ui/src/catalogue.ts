// The shop's catalogue at the counter: searched on every keystroke of the
// item field and looked up by a scanner's code. Held in memory (20,000
// products are about 2 MB), so a keystroke never waits for the core.
import type { CatalogueItem } from "./generated/types";

/** How many matches the item field lists. */
export const MATCHES_SHOWN = 8;

interface Entry {
  item: CatalogueItem;
  code: string;
  barcode: string;
  /** Both names, lower case, for substring search. */
  names: string;
  /** Code, barcode and names in one string: one `includes` rules out a
   * product that cannot match, which is nearly all of them. */
  all: string;
}

export class CatalogueIndex {
  private readonly entries: Entry[];
  private readonly byCode = new Map<string, CatalogueItem>();
  // The cashier types one character at a time: the products that contain
  // the last query are the only ones that can contain a longer one, so the
  // next keystroke searches those instead of the whole catalogue.
  private last: { query: string; candidates: Entry[] } = { query: "", candidates: [] };

  constructor(items: readonly CatalogueItem[]) {
    this.entries = items.map((item) => {
      const code = item.code.toLowerCase();
      const barcode = (item.barcode ?? "").toLowerCase();
      const names = `${item.nameEn} ${item.nameBn ?? ""}`.toLowerCase();
      return { item, code, barcode, names, all: `${code}\u0001${barcode}\u0001${names}` };
    });
    for (const item of items) {
      this.byCode.set(item.code, item);
    }
    // A barcode wins over another product's shop code: it is what scanners read.
    for (const item of items) if (item.barcode) this.byCode.set(item.barcode, item);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The product whose barcode or code is exactly `code`. */
  exact(code: string): CatalogueItem | undefined {
    return this.byCode.get(code.trim());
  }

  /**
   * Products matching what the cashier typed, best first: code or barcode
   * equal, then starting with it, then a name starting with it, then a name
   * word starting with it, then a name containing it. One pass, no sorting
   * of the whole catalogue.
   */
  search(query: string, limit = MATCHES_SHOWN): CatalogueItem[] {
    const q = query.trim().toLowerCase();
    if (q === "") return [];
    const ranks: CatalogueItem[][] = [[], [], [], [], []];
    const wordStart = " " + q;
    const pool = this.last.query !== "" && q.startsWith(this.last.query) ? this.last.candidates : this.entries;
    const candidates: Entry[] = [];
    for (const e of pool) {
      if (!e.all.includes(q)) continue;
      candidates.push(e);
      let rank: number;
      if (e.code === q || e.barcode === q) rank = 0;
      else if (e.code.startsWith(q) || (e.barcode !== "" && e.barcode.startsWith(q))) rank = 1;
      else if (e.names.startsWith(q)) rank = 2;
      else if (e.names.includes(wordStart)) rank = 3;
      else if (e.names.includes(q)) rank = 4;
      else continue;
      const bucket = ranks[rank]!;
      if (bucket.length < limit) bucket.push(e.item);
    }
    this.last = { query: q, candidates };
    return ranks.flat().slice(0, limit);
  }
}

/** The name the cashier and the receipt use, in the chosen language. */
export function itemName(item: CatalogueItem, lang: "en" | "bn"): string {
  return lang === "bn" && item.nameBn ? item.nameBn : item.nameEn;
}
