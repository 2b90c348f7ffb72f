// A barcode scanner is a keyboard: it types the code's characters far faster
// than a person and ends with Enter. This tells the two apart from the times
// keys arrived and what they were, so an unknown scanned code is refused
// instead of becoming a free-text line. Retail barcodes (EAN-8, EAN-13,
// UPC-A) are digits only; a shop's own letter codes are found by exact match
// whoever types them, and a fast typist's (or a test robot's) word is never
// mistaken for a scan.

/** A scanner sends a character every few milliseconds; people need 60 ms or more. */
export const SCAN_GAP_MS = 35;
/** EAN-8 is the shortest retail barcode; shorter bursts are a person's quick keys. */
export const SCAN_MIN_CHARS = 6;

export class ScanDetector {
  private times: number[] = [];
  private digitsOnly = true;

  /** A printable key `key` arrived at `at` (ms). */
  key(at: number, key: string): void {
    this.times.push(at);
    if (!/^[0-9]$/.test(key)) this.digitsOnly = false;
  }

  /** Forget the keys (the field was cleared or left). */
  reset(): void {
    this.times = [];
    this.digitsOnly = true;
  }

  /** Whether what was typed since the last reset came as one scanner burst of digits. */
  scanned(): boolean {
    const t = this.times;
    if (t.length < SCAN_MIN_CHARS || !this.digitsOnly) return false;
    for (let i = 1; i < t.length; i++) if (t[i]! - t[i - 1]! > SCAN_GAP_MS) return false;
    return true;
  }
}
