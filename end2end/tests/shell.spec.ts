import { test, expect, hydrated } from "./fixtures";

test("home page renders on the server, then hydrates", async ({ page, request }) => {
  // The raw HTML from the server already has the content: no JS needed.
  const html = await (await request.get("/")).text();
  expect(html).toContain("Practise backend interviews the way they really go.");
  expect(html).not.toContain('data-hydrated="true"');

  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Practise backend interviews/);
  await expect(page.getByTestId("bank-size")).toHaveText(/\d{3} questions across 14 topics/);
});

test("drawing a question round-trips through a server function and SQLite", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const reply = page.waitForResponse((r) => r.url().endsWith("/api/questions/random") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Draw a question" }).click();
  expect((await reply).status()).toBe(200);
  const drawn = page.getByTestId("drawn-question");
  await expect(drawn).toBeVisible();
  const prompt = (await drawn.locator(".drawn-prompt").textContent()) ?? "";
  expect(prompt.length).toBeGreaterThan(10);

  // The link leads to that very question, read back from the database.
  await drawn.getByRole("link", { name: /Open this question/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
});

test("theme toggle cycles and survives a reload", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  const html = page.locator("html");
  await expect(html).toHaveAttribute("data-theme", "system");
  const toggle = page.getByRole("button", { name: /Theme:/ });
  await toggle.click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await toggle.click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(page.getByRole("button", { name: "Theme: dark" })).toBeVisible();
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(darkBg);
});

test("unknown paths show the 404 page", async ({ page, watch }) => {
  watch.allow(/HTTP 404 .*\/no-such-page/);
  watch.allow(/console: Failed to load resource: the server responded with a status of 404/);
  const res = await page.goto("/no-such-page");
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await page.getByRole("link", { name: "Go to the start page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("review explains itself to a visitor", async ({ page }) => {
  await page.goto("/review");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Review");
  await expect(page.getByTestId("review-visitor")).toContainText("just before you would forget them");
  await expect(page.getByRole("link", { name: "Start practising" })).toHaveAttribute("href", "/practice/new");
});

test("reading the bank downloads no WASM, and its page script still works", async ({ page }) => {
  const scripts: string[] = [];
  page.on("request", (r) => {
    if (/\.(wasm|js)(\?|$)/.test(r.url())) scripts.push(r.url());
  });
  await page.goto("/questions");
  await hydrated(page);
  // Filters apply as soon as a box is ticked (page.js, not an island).
  await page.getByRole("checkbox", { name: /Beginner/ }).check();
  await expect(page).toHaveURL(/level=beginner/);
  await page.locator(".question-link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // The theme toggle too, and it is remembered.
  const html = page.locator("html");
  await page.getByRole("button", { name: /Theme:/ }).click();
  await expect(html).toHaveAttribute("data-theme", "light");
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "light");
  expect(scripts, "no script or WASM fetched while reading the bank").toEqual([]);

  // "Practise this question" is a plain form: it lands in a live session.
  await page.getByRole("button", { name: /Practise this question/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByRole("textbox")).toBeVisible();
  expect(scripts.some((u) => u.endsWith(".wasm")), "the runner loads the WASM").toBe(true);
});
