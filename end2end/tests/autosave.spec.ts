import { test, expect, hydrated } from "./fixtures";
import type { Page, Route } from "@playwright/test";

/** A one-question untimed practice session; returns its URL. */
async function practise(page: Page): Promise<string> {
  await page.goto("/practice/new");
  await hydrated(page);
  await page.getByLabel("Questions").fill("1");
  await page.getByLabel(/Seconds per question/).fill("0");
  await page.getByRole("button", { name: "Start session" }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  return page.url();
}

const editorOf = (page: Page) => page.getByLabel("Your answer", { exact: true });

test("a save delayed in flight never overwrites the newer text", async ({ page }) => {
  const url = await practise(page);
  let held: Route | null = null;
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  await page.route("**/api/sessions/save", async (route) => {
    if (held === null) {
      held = route;
      await released; // the first save waits on the network...
    }
    await route.continue();
  });
  const editor = editorOf(page);
  await editor.fill("The first version");
  await expect.poll(() => held !== null).toBe(true);
  await expect(page.getByTestId("save-state")).toHaveText("Saving…");
  // ...while the person keeps typing and a newer save lands first.
  await editor.fill("The first version, then a better second one");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  const lateReply = page.waitForResponse("**/api/sessions/save");
  release();
  const late = await lateReply;
  // Taken as harmless: the reply names the newer revision that is kept.
  expect(late.status()).toBe(200);
  expect((await late.json()).rev).toBe(2);
  // The late reply changes nothing on screen or on the server.
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.unroute("**/api/sessions/save");
  await page.goto(url);
  await hydrated(page);
  await expect(editorOf(page)).toHaveValue("The first version, then a better second one");
});

test("the editor takes no typing until the draft is in it", async ({ page }) => {
  const url = await practise(page);
  await editorOf(page).fill("The stored draft");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  // A slow network: the WASM is held back. Whatever were typed now would
  // be overwritten by the draft when the code arrives, so the box is
  // read-only until then.
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  await page.route("**/pkg/*.wasm", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(url);
  // The server's HTML already shows the draft, read-only until then.
  await expect(editorOf(page)).toHaveValue("The stored draft");
  await expect(editorOf(page)).not.toBeEditable();
  release();
  await hydrated(page);
  await expect(editorOf(page)).toBeEditable();
  await expect(editorOf(page)).toHaveValue("The stored draft");
  await page.unroute("**/pkg/*.wasm");
});

test("a second tab on the same answer is told, and loses nothing", async ({ page, watch }) => {
  watch.allow(/HTTP 409 .*\/api\/sessions\/save/);
  watch.allow(/status of 409/);
  const url = await practise(page);
  const other = await page.context().newPage();
  const otherProblems: string[] = [];
  other.on("pageerror", (e) => otherProblems.push(e.message));
  await other.goto(url);
  await hydrated(other);

  await editorOf(page).fill("Written in the first tab");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await editorOf(other).fill("Written in the second tab");
  await expect(other.getByRole("alert")).toContainText("being edited in another tab");
  await expect(other.getByTestId("save-state")).toHaveText("Not saved: open in another tab");
  await other.screenshot({ path: "screenshots/session-other-tab.png", fullPage: true });

  // The first tab's text is what is stored; a reload of the second shows it.
  await other.reload();
  await hydrated(other);
  await expect(editorOf(other)).toHaveValue("Written in the first tab");
  expect(otherProblems).toEqual([]);
  await other.close();
});

test("leaving the page right after typing still saves (beacon)", async ({ page, watch }) => {
  watch.allow(/net::ERR_FAILED/);
  const url = await practise(page);
  // Every ordinary save is cut off on the network, and the person leaves
  // before the autosave's pause: only the page-hide beacon, which the
  // browser sends outside the page's own requests, can carry the text.
  await page.route("**/api/sessions/save", (route) => route.abort());
  await editorOf(page).fill("Typed just before leaving");
  await page.goto("/history");
  await page.unroute("**/api/sessions/save");
  await expect(async () => {
    await page.goto(url);
    await hydrated(page);
    await expect(editorOf(page)).toHaveValue("Typed just before leaving", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
});

test("ending the session waits for the last save", async ({ page }) => {
  const url = await practise(page);
  await editorOf(page).fill("Saved on the way out");
  // No pause for the autosave: End at once.
  await page.getByRole("button", { name: "End session now" }).click();
  await expect(page).toHaveURL(url + "/summary");
  await expect(page.getByTestId("answered")).toHaveText("1 / 1");
  await page.goto(url.replace("/practice/", "/history/"));
  await expect(page.locator(".your-answer").first()).toHaveText("Saved on the way out");
});
