import { test, expect, hydrated } from "./fixtures";
import type { Page, APIRequestContext } from "@playwright/test";

// This spec moves the server's clock (REHEARSE_TEST_CLOCK, set only for the
// browser tests), so playwright.config.ts runs it after every other spec.
test.describe.configure({ mode: "serial" });

async function clock(request: APIRequestContext, days: number) {
  const r = await request.post("/__test/clock", { form: { days: String(days) } });
  expect(r.status()).toBe(200);
}

test.beforeAll(async ({ request }) => clock(request, 0));
test.afterAll(async ({ request }) => clock(request, 0));

/** One-question practice session on `slug`, answered and graded. */
async function practise(page: Page, slug: string, grade: string) {
  await page.goto(`/questions/${slug}`);
  await hydrated(page);
  await page.getByRole("button", { name: /Practise this question/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.getByLabel("Your answer", { exact: true }).fill("What I remember of it");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.getByRole("radio", { name: new RegExp(grade) }).check();
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(/\/summary$/);
}

/** The forecast's data table as {date: count}. */
async function forecast(page: Page): Promise<number[]> {
  const rows = page.getByTestId("forecast").locator("table tbody tr td:nth-child(2)");
  return (await rows.allTextContents()).map(Number);
}

test("graded questions come due in /review, are reviewed by keyboard, and the forecast follows", async ({ page, request }) => {
  test.setTimeout(120_000);
  await practise(page, "db-sql-vs-nosql", "Missed");
  await practise(page, "db-what-is-acid", "Excellent");

  // Today: nothing to review yet; new questions come from the area practised.
  await page.goto("/review");
  await expect(page.getByTestId("review-headline")).toHaveText(/^0 reviews due today · [1-5] new questions?$/);
  const before = await forecast(page);
  expect(before).toHaveLength(30);
  expect(before[0]).toBe(0);
  expect(before[1]).toBe(1); // the Missed one, tomorrow

  // The question page shows its schedule and can suspend it.
  await page.goto("/questions/db-sql-vs-nosql");
  await hydrated(page);
  const status = page.getByTestId("card-status");
  await expect(status).toContainText("Next review: tomorrow");
  await expect(status).toContainText("Graded 1 time.");
  await page.getByRole("button", { name: "Suspend" }).click();
  await expect(status).toContainText("Suspended");
  await page.getByTestId("schedule").screenshot({ path: "screenshots/question-schedule.png" });
  await page.getByRole("button", { name: "Unsuspend" }).click();
  await expect(status).not.toContainText("Suspended");

  // Three days later the Missed question is overdue and comes first.
  await clock(request, 3);
  await page.goto("/review");
  await hydrated(page);
  await expect(page.getByTestId("review-headline")).toContainText(/^[12] reviews? due today/);
  const first = page.getByTestId("review-list").locator("li").first();
  await expect(first).toContainText("What is the difference between a SQL and a NoSQL database");
  await expect(first).toContainText("overdue 2 days");
  const dueBefore = (await forecast(page))[0];
  expect(dueBefore).toBeGreaterThanOrEqual(1);
  await page.screenshot({ path: "screenshots/review-light.png", fullPage: true });

  // Review it in the runner, by keyboard alone: type, Ctrl+Enter, R, 3, N.
  await page.getByTestId("start-review").click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.locator("h2.prompt, .prompt").first()).toContainText("SQL and a NoSQL");
  await page.getByLabel("Your answer", { exact: true }).fill("Tables and joins versus documents, keys and scale-out");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("button", { name: "Reveal the reference answer" })).toBeVisible();
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("r");
  await page.keyboard.press("3");
  await expect(page.getByRole("radio", { name: /Good/ })).toBeChecked();
  await page.keyboard.press("n");
  await expect(page.getByRole("button", { name: "Submit answer" })).toBeVisible();

  // Back on /review: one done, the session can be resumed, and today's
  // forecast has one fewer due.
  await page.goto("/review");
  await expect(page.getByText("Reviewed today: 1.")).toBeVisible();
  await expect(page.getByTestId("review-active")).toBeVisible();
  expect((await forecast(page))[0]).toBe(dueBefore - 1);

  // The dashboard shows the forecast and the (empty) leech list.
  await page.goto("/dashboard");
  await expect(page.getByTestId("review-stats")).toBeVisible();
  await expect(page.getByTestId("leeches-empty")).toBeVisible();
  await expect(page.getByRole("img", { name: /Reviews due, next 30 days/ })).toBeVisible();
});

test("an interview date gives a daily plan on / and /review", async ({ page, context, baseURL }) => {
  test.setTimeout(90_000);
  await practise(page, "db-what-is-acid", "Partial");
  await page.goto("/review");
  await hydrated(page);
  const editor = page.getByTestId("plan-editor");
  const min = await editor.getByLabel("Interview date").getAttribute("min");
  const date = new Date(`${min}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 20); // 21 days from today
  await editor.getByLabel("Interview date").fill(date.toISOString().slice(0, 10));
  await editor.getByLabel("Minutes a day").fill("30");
  await editor.getByLabel("Advanced").check();
  await editor.getByLabel("Databases").check();
  await editor.getByRole("button", { name: "Make my plan" }).click();
  const plan = page.getByTestId("plan-status");
  await expect(plan.getByTestId("plan-headline")).toContainText("Day 1 of 21 · on track");
  await expect(plan.getByTestId("plan-today")).toContainText("Today: 0 reviews and 1 new question");
  await expect(page.getByTestId("review-list").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("review-list").locator("li").first()).toContainText("Advanced · Databases");

  await page.goto("/");
  await expect(page.getByTestId("plan-status")).toContainText("Day 1 of 21");
  await expect(page.getByTestId("home-review-due")).toHaveText("0 reviews due today, 1 new question.");
  await expect(page.getByTestId("start-review")).toBeVisible();

  await page.goto("/review");
  for (const theme of ["light", "dark"] as const) {
    await context.addCookies([{ name: "rehearse_theme", value: theme, url: baseURL! }]);
    await page.reload();
    await page.screenshot({ path: `screenshots/review-plan-${theme}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.screenshot({ path: "screenshots/review-plan-phone.png", fullPage: true });

  // Removing the plan takes it off the page.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/review");
  await hydrated(page);
  await page.getByRole("button", { name: "Remove the plan" }).click();
  await expect(page.getByTestId("plan-status")).toHaveCount(0);
});

test("review settings are saved from the account page", async ({ page }) => {
  await page.goto("/register?next=/account");
  await hydrated(page);
  await page.getByLabel("Username").fill(`reviewer${Date.now()}`);
  await page.getByLabel("Password").fill("tidy orange kettle");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  const panel = page.getByTestId("review-settings");
  await expect(panel).toContainText("about 40 %");
  await panel.getByLabel("Desired retention").fill("0.85");
  await panel.getByLabel("New questions a day").fill("2");
  await panel.getByLabel(/Practise without touching my schedule/).check();
  await panel.getByRole("button", { name: "Save review settings" }).click();
  await expect(panel.getByText("Review settings saved.")).toBeVisible();
  await page.reload();
  await expect(panel.getByLabel("Desired retention")).toHaveValue("0.85");
  await expect(panel.getByLabel("New questions a day")).toHaveValue("2");
  await expect(panel.getByLabel(/Practise without touching my schedule/)).toBeChecked();
});

test("kept personal pages follow the clock: the dashboard and a question's schedule after midnight", async ({ page, request }) => {
  test.setTimeout(90_000);
  await clock(request, 0);
  await practise(page, "db-what-is-a-transaction", "Missed");

  // Both pages are kept for this person once seen...
  await page.goto("/dashboard");
  const to = page.locator("form.range-form input[name=to]");
  const today = await to.inputValue();
  expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await page.goto("/questions/db-what-is-a-transaction");
  await expect(page.getByTestId("card-status")).toContainText("Next review: tomorrow");

  // ...and a day later neither copy is served: "today" moved on.
  await clock(request, 1);
  await page.goto("/dashboard");
  const tomorrow = await to.inputValue();
  expect(tomorrow > today).toBe(true);
  await page.goto("/questions/db-what-is-a-transaction");
  await expect(page.getByTestId("card-status")).not.toContainText("tomorrow");
  await expect(page.getByTestId("card-status")).toContainText(/Next review: (today|overdue)/);
  await clock(request, 0);
});
