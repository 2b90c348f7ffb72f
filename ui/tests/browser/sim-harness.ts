// Starts the real `bkash-sim` binary and a tiny merchant back end in Node, the
// way a shop's server would sit between its page and bKash.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const CREDS = {
  username: "sandboxTestUser",
  password: "hWD@8vtzw0",
  app_key: "5tunt4masn6pv2hnvte1sb5n3j",
  app_secret: "1vggbqd4hqk9g96o9rrrp2jftvek578v7d2bnerim12a87dbrrka",
};

export interface Sim {
  base: string;
  child: ChildProcess;
  ledger(): Promise<{ payments: Array<Record<string, unknown>> }>;
  stop(): void;
}

export async function startSim(): Promise<Sim> {
  const bin = process.env.BKASH_SIM ?? `${repo}target/debug/bkash-sim`;
  const child = spawn(bin, ["--port", "0", "--token-budget", "50"], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`bkash-sim exited with ${code}; build it with cargo build`)));
    setTimeout(() => reject(new Error("bkash-sim did not start within 10 s")), 10_000);
  });
  return {
    base,
    child,
    ledger: async () => (await fetch(`${base}/__sim/ledger`)).json() as Promise<{ payments: Array<Record<string, unknown>> }>,
    stop: () => child.kill(),
  };
}

/** A merchant server: its page, plus create/execute endpoints that call bKash server-side. */
export async function startMerchant(sim: Sim): Promise<{ origin: string; server: Server; executed: Array<Record<string, unknown>> }> {
  const jquery = readFileSync(`${repo}node_modules/jquery/dist/jquery.min.js`);
  let token = "";
  const executed: Array<Record<string, unknown>> = [];
  const bkash = async (family: "checkout" | "tokenized", path: string, body?: unknown, method = "POST") => {
    const prefix = family === "checkout" ? "/v1.2.0-beta/checkout" : "/v1.2.0-beta/tokenized/checkout";
    if (!token) {
      const grant = await fetch(`${sim.base}${prefix}/token/grant`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", username: CREDS.username, password: CREDS.password },
        body: JSON.stringify({ app_key: CREDS.app_key, app_secret: CREDS.app_secret }),
      });
      token = ((await grant.json()) as { id_token: string }).id_token;
    }
    const answer = await fetch(`${sim.base}${prefix}/${path}`, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json", authorization: token, "x-app-key": CREDS.app_key },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await answer.json()) as Record<string, unknown>;
  };
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Merchant</title></head><body>
    <h1>Test shop</h1><button id="bKash_button">Pay with bKash</button><p id="result"></p>
    <script src="/jquery.js"></script>
    <script src="${sim.base}/versions/1.2.0-beta/checkout/bKash-checkout-sandbox.js"></script>
    <script>
      var paymentID = null;
      var post = function (url, body) { return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}) }).then(function (r) { return r.json(); }); };
      bKash.init({
        paymentMode: "checkout",
        paymentRequest: { amount: "85.50", intent: "sale" },
        createRequest: function (request) {
          post("/create", request).then(function (data) {
            if (data.paymentID) { paymentID = data.paymentID; bKash.create().onSuccess(data); }
            else { document.getElementById("result").textContent = "create failed " + data.errorCode; bKash.create().onError(); }
          });
        },
        executeRequestOnAuthorization: function () {
          post("/execute", { paymentID: paymentID }).then(function (data) {
            if (data.paymentID && data.trxID) { document.getElementById("result").textContent = data.transactionStatus + " " + data.trxID; window.__closeCheckout && window.__closeCheckout(); }
            else { document.getElementById("result").textContent = "failed " + data.errorCode; bKash.execute().onError(); }
          });
        },
        onClose: function () { document.getElementById("result").textContent = "closed by customer"; }
      });
    </script></body></html>`;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://merchant");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
    const json = (value: unknown) => {
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify(value));
    };
    if (url.pathname === "/") return res.end(page);
    if (url.pathname === "/jquery.js") return res.end(jquery);
    if (url.pathname === "/create") {
      return json(await bkash("checkout", "payment/create", { amount: body.amount, currency: "BDT", intent: body.intent, merchantInvoiceNumber: `INV-${Date.now()}` }));
    }
    if (url.pathname === "/execute") {
      const answer = await bkash("checkout", `payment/execute/${body.paymentID}`);
      executed.push(answer);
      return json(answer);
    }
    if (url.pathname === "/tokenized-create") {
      return json(
        await bkash("tokenized", "create", {
          mode: "0011", payerReference: " ", callbackURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
          amount: "250", currency: "BDT", intent: "sale", merchantInvoiceNumber: `TOK-${Date.now()}`,
        }),
      );
    }
    if (url.pathname === "/callback") {
      const status = url.searchParams.get("status");
      const paymentID = url.searchParams.get("paymentID");
      const answer = status === "success" ? await bkash("tokenized", "execute", { paymentID }) : {};
      res.setHeader("Content-Type", "text/html");
      return res.end(`<p id="callback">${status} ${answer.transactionStatus ?? ""} ${answer.trxID ?? ""}</p>`);
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, executed };
}
