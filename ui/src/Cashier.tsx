import { useRef, useState } from "preact/hooks";
import { AMOUNT_ERROR_TEXT, formatBdt, parseAmount } from "./money";
import { lineTotal, orderTotal, parseQuantity, payable, type OrderLine } from "./order";

/** The cashier's counter: ring up lines, see the total in BDT. */
export function Cashier() {
  const [lines, setLines] = useState<OrderLine[]>([]);
  const [name, setName] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const nextId = useRef(1);
  const nameInput = useRef<HTMLInputElement>(null);

  const addLine = (event: Event) => {
    event.preventDefault();
    const qty = parseQuantity(quantity);
    if (qty === null) {
      setFieldError("Quantity must be a whole number from 1 to 9999.");
      return;
    }
    const amount = parseAmount(price);
    if (!amount.ok) {
      setFieldError(AMOUNT_ERROR_TEXT[amount.error]);
      return;
    }
    const label = name.trim() || "Item";
    setLines([...lines, { id: nextId.current++, name: label, quantity: qty, unitPoisha: amount.poisha }]);
    setName("");
    setQuantity("1");
    setPrice("");
    setFieldError(null);
    nameInput.current?.focus();
  };

  const removeLine = (id: number) => setLines(lines.filter((line) => line.id !== id));
  const total = orderTotal(lines);

  return (
    <main class="cashier" data-testid="cashier-screen">
      <section class="entry" aria-label="Ring up">
        <h1>New sale</h1>
        <form onSubmit={addLine} class="line-form">
          <label>
            Item
            <input ref={nameInput} value={name} onInput={(e) => setName(e.currentTarget.value)} autoFocus placeholder="Item name" data-testid="item-name" />
          </label>
          <label>
            Qty
            <input value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} inputMode="numeric" class="qty" data-testid="item-qty" />
          </label>
          <label>
            Price (৳)
            <input
              value={price}
              onInput={(e) => setPrice(e.currentTarget.value)}
              inputMode="decimal"
              placeholder="0.00"
              aria-invalid={fieldError !== null}
              aria-describedby="line-error"
              data-testid="item-price"
            />
          </label>
          <button type="submit" data-testid="add-line">
            Add (Enter)
          </button>
        </form>
        <p id="line-error" class="field-error" role="alert" data-testid="line-error">
          {fieldError ?? ""}
        </p>
        <table class="lines" data-testid="order-lines">
          <thead>
            <tr>
              <th>Item</th>
              <th class="num">Qty</th>
              <th class="num">Price</th>
              <th class="num">Amount</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.id}>
                <td>{line.name}</td>
                <td class="num">{line.quantity}</td>
                <td class="num">{formatBdt(line.unitPoisha)}</td>
                <td class="num">{formatBdt(lineTotal(line))}</td>
                <td>
                  <button type="button" class="link" onClick={() => removeLine(line.id)} aria-label={`Remove ${line.name}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <aside class="pay" aria-label="Payment">
        <div class="total-label">Total</div>
        <div class="total" data-testid="order-total">
          {formatBdt(total)}
        </div>
        <button type="button" class="pay-button" disabled title="Connected to bKash in a coming release" data-testid="pay-bkash">
          Pay with bKash
        </button>
        {payable(lines) && <p class="hint">bKash payments are not connected in this build yet.</p>}
      </aside>
    </main>
  );
}
