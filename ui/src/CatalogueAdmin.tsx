// The manager's catalogue: how many products, a CSV import with every
// rejected row named by its line, and a form to add or change one product.
import { useEffect, useState } from "preact/hooks";
import { catalogue, importCatalogue, saveProduct, type CatalogueItem, type ImportReport, type Rejected } from "./ipc";
import { amountErrorText, parseAmount } from "./money";
import { errorText, formatCount, type Key, known, t } from "./i18n";

/** The most a catalogue file may be (the core refuses larger ones too). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A rejected row in the user's language. */
export function rejectedText(r: Rejected): string {
  const key = `row.${r.problem.kind}` as Key;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(r.problem)) if (name !== "kind" && typeof value !== "object") params[name] = value as string | number;
  const reason = known(key) ? t(key, params) : r.reason;
  return t("manager.rejectedLine", { line: r.line, reason });
}

export function CatalogueAdmin() {
  const [items, setItems] = useState<Map<string, CatalogueItem> | null>(null);
  const count = items?.size ?? null;
  const [report, setReport] = useState<ImportReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ code: "", barcode: "", nameEn: "", nameBn: "", price: "" });
  const refresh = () => catalogue().then((all) => setItems(new Map(all.map((i) => [i.code, i]))), () => setItems(null));
  useEffect(() => void refresh(), []);

  const importFile = async (file: File) => {
    setReport(null);
    setMessage(null);
    if (file.size > MAX_FILE_BYTES) return setMessage(t("error.catalogue_file", { problem: t("catalogue.file.too_large"), columns: "" }));
    let text: string;
    try {
      // Refuses bytes that are not UTF-8 instead of guessing: a file saved
      // in another encoding would otherwise import garbled Bangla names.
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return setMessage(t("error.catalogue_file", { problem: t("catalogue.file.not_utf8"), columns: "" }));
    }
    setBusy(true);
    try {
      setReport(await importCatalogue(text));
      await refresh();
    } catch (e) {
      const err = e as { code?: string; details?: Record<string, string> };
      if (err.code === "catalogue_file" && err.details?.problem && known(err.details.problem)) {
        setMessage(t("error.catalogue_file", { problem: t(err.details.problem as Key), columns: err.details.columns ?? "" }));
      } else setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const price = parseAmount(form.price);
    if (!price.ok) return setMessage(amountErrorText(price.error));
    try {
      await saveProduct({ code: form.code.trim(), barcode: form.barcode.trim() || null, nameEn: form.nameEn.trim(), nameBn: form.nameBn.trim() || null, pricePoisha: price.poisha });
      setMessage(t("manager.productSaved", { code: form.code.trim() }));
      setForm({ code: "", barcode: "", nameEn: "", nameBn: "", price: "" });
      await refresh();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  // Typing a code the catalogue has fills in that product, to change it.
  const typedCode = (code: string) => {
    const known = items?.get(code.trim());
    setForm(
      known
        ? { code, barcode: known.barcode ?? "", nameEn: known.nameEn, nameBn: known.nameBn ?? "", price: (known.pricePoisha / 100).toFixed(2) }
        : { ...form, code },
    );
  };
  const field = (name: keyof typeof form, label: Key, extra: Record<string, unknown> = {}) => (
    <label>
      {t(label)}
      <input
        value={form[name]}
        onInput={(e) => (name === "code" ? typedCode(e.currentTarget.value) : setForm({ ...form, [name]: e.currentTarget.value }))}
        data-testid={`product-${name}`}
        {...extra}
      />
    </label>
  );

  return (
    <section class="catalogue-admin" data-testid="catalogue-admin">
      <h2>
        {t("manager.catalogue")} <span class="hint" data-testid="catalogue-count">{count === null ? "" : t("manager.catalogueCount", { count: formatCount(count) })}</span>
      </h2>
      <p class="hint">{t("manager.importHelp")}</p>
      <label class="file-button">
        {t("manager.importCatalogue")}
        <input
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (file) void importFile(file);
          }}
          data-testid="catalogue-file"
        />
      </label>
      {report && (
        <div role="status" data-testid="import-report">
          <p data-testid="import-saved">{t("manager.imported", { saved: formatCount(report.saved) })}</p>
          {report.rejectedCount > 0 && (
            <>
              <p data-testid="import-rejected-count">{t("manager.rejectedRows", { count: formatCount(report.rejectedCount) })}</p>
              <ul class="rejected" data-testid="import-rejected">
                {report.rejected.map((r) => (
                  <li key={r.line} data-line={r.line}>
                    {rejectedText(r)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <form class="line-form" onSubmit={(e) => void save(e)} data-testid="product-form">
        <strong>{t("manager.addProduct")}</strong>
        {field("code", "manager.code", { maxLength: 32, required: true })}
        {field("barcode", "manager.barcode", { maxLength: 32 })}
        {field("nameEn", "manager.nameEn", { maxLength: 80, required: true })}
        {field("nameBn", "manager.nameBn", { maxLength: 80 })}
        {field("price", "cashier.price", { inputMode: "decimal", required: true })}
        <button type="submit" data-testid="product-save">
          {t("manager.saveProduct")}
        </button>
      </form>
      {message && (
        <p role="status" data-testid="catalogue-message">
          {message}
        </p>
      )}
    </section>
  );
}
