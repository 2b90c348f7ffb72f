// The customer's own phone, for the E2E tier: opens the URL the test read
// off the counter's QR code in headless Chromium with a phone's screen, and
// pays (or cancels) on bKash's page as a person would, by touch.
//   node phone_customer.mjs <url> <pay|cancel> <wallet> <screenshot-prefix>
import { chromium } from "playwright-core";

const [url, action, wallet, shots] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
  });
  const page = await phone.newPage();
  await page.goto(url);
  await page.locator("body[data-ready=true]").waitFor({ timeout: 15_000 });
  // The page must fit the phone: nothing wider than its screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) throw new Error(`bKash's page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: `${shots}-1-opened.png` });
  if (action === "cancel") {
    await page.locator("#close").tap();
    await page.locator("#yes_button").tap();
  } else {
    await page.locator("#step-wallet:not([hidden]) #wallet").fill(wallet);
    await page.locator("#terms").tap();
    await page.locator("#proceed").tap();
    await page.locator("#step-otp:not([hidden]) #otp").fill("123456");
    await page.locator("#proceed").tap();
    await page.locator("#step-pin:not([hidden]) #pin").fill("12121");
    await page.screenshot({ path: `${shots}-2-pin.png` });
    await page.locator("#proceed").tap();
  }
  // bKash's page then sends the phone to the shop's callback URL.
  await page.waitForURL((u) => !u.pathname.includes("/tokenized/pay/"), { timeout: 15_000 }).catch(() => undefined);
  console.log(JSON.stringify({ done: action, landedOn: page.url() }));
} finally {
  await browser.close();
}
