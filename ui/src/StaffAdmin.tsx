// The manager's staff screen: every account with its role, new accounts,
// a new PIN for one who forgot theirs, a role change, and disabling one who
// left (their name stays on everything they did). PINs are never shown.
import { useEffect, useState } from "preact/hooks";
import { addStaffAccount, changeStaffAccount, staffAccounts, type Account, type Role } from "./ipc";
import { errorText, t, type Key } from "./i18n";

const ROLES: Role[] = ["cashier", "supervisor", "manager"];

export function StaffAdmin() {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const reload = () => void staffAccounts().then(setAccounts, (e: unknown) => setMessage(errorText(e)));
  useEffect(reload, []);
  const act = async (work: () => Promise<Account>, said: (a: Account) => string) => {
    try {
      setMessage(said(await work()));
    } catch (e) {
      setMessage(errorText(e));
    }
    reload();
  };
  return (
    <section class="staff-admin" aria-label={t("staff.title")} data-testid="staff-admin">
      <h2>{t("staff.title")}</h2>
      <table class="eod-groups" data-testid="staff-list">
        <thead>
          <tr>
            <th>{t("staff.name")}</th>
            <th>{t("staff.role")}</th>
            <th>{t("staff.newPin")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <AccountRow key={a.id} account={a} act={act} />
          ))}
        </tbody>
      </table>
      <NewAccountForm act={act} />
      {message && (
        <p class="hint" role="status" data-testid="staff-message">
          {message}
        </p>
      )}
      <p class="hint">{t("staff.forgotHint")}</p>
    </section>
  );
}

type Act = (work: () => Promise<Account>, said: (a: Account) => string) => Promise<void>;

function RoleSelect({ value, onChange, testid }: { value: Role; onChange: (r: Role) => void; testid: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.currentTarget.value as Role)} aria-label={t("staff.role")} data-testid={testid}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}` as Key)}
        </option>
      ))}
    </select>
  );
}

function AccountRow({ account: a, act }: { account: Account; act: Act }) {
  const [pin, setPin] = useState("");
  const change = (c: Partial<{ role: Role; active: boolean; pin: string }>, said: (a: Account) => string) =>
    act(() => changeStaffAccount(a.id, { name: null, role: c.role ?? null, active: c.active ?? null, pin: c.pin ?? null }), said);
  return (
    <tr data-testid="staff-row" data-name={a.name} data-active={String(a.active)}>
      <th>
        {a.name}
        {!a.active && <span class="hint"> {t("staff.disabled")}</span>}
      </th>
      <td>
        <RoleSelect value={a.role} onChange={(role) => void change({ role }, (b) => t("staff.roleChanged", { name: b.name, role: t(`role.${b.role}` as Key) }))} testid="staff-row-role" />
      </td>
      <td>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void change({ pin }, (b) => t("staff.pinChanged", { name: b.name })).then(() => setPin(""));
          }}
        >
          <input type="password" inputMode="numeric" autoComplete="off" value={pin} onInput={(e) => setPin(e.currentTarget.value)} aria-label={t("staff.newPinFor", { name: a.name })} data-testid="staff-row-pin" />
          <button type="submit" disabled={pin === ""} data-testid="staff-row-pin-save">
            {t("staff.setPin")}
          </button>
        </form>
      </td>
      <td>
        <button
          type="button"
          class="secondary"
          onClick={() => void change({ active: !a.active }, (b) => t(b.active ? "staff.enabledNote" : "staff.disabledNote", { name: b.name }))}
          data-testid="staff-row-active"
        >
          {a.active ? t("staff.disable") : t("staff.enable")}
        </button>
      </td>
    </tr>
  );
}

function NewAccountForm({ act }: { act: Act }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("cashier");
  const [pin, setPin] = useState("");
  const submit = (event: Event) => {
    event.preventDefault();
    void act(
      () => addStaffAccount({ name: name.trim(), role, pin }),
      (a) => t("staff.added", { name: a.name, role: t(`role.${a.role}` as Key) }),
    ).then(() => (setName(""), setPin("")));
  };
  return (
    <form class="move-form" onSubmit={submit} data-testid="staff-new">
      <label>
        {t("staff.name")}
        <input value={name} maxLength={60} onInput={(e) => setName(e.currentTarget.value)} data-testid="staff-new-name" />
      </label>
      <label>
        {t("staff.role")}
        <RoleSelect value={role} onChange={setRole} testid="staff-new-role" />
      </label>
      <label>
        {t("staff.pin")}
        <input type="password" inputMode="numeric" autoComplete="off" value={pin} onInput={(e) => setPin(e.currentTarget.value)} data-testid="staff-new-pin" />
      </label>
      <button type="submit" data-testid="staff-new-submit">
        {t("staff.add")}
      </button>
    </form>
  );
}
