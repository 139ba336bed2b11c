import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

// Each test runs in a fresh browser context: a new guest with no history,
// so every number below is exact.

/** One-question session on a given question, answered and graded. */
async function practise(page: Page, slug: string, answer: string, grade: string) {
  await page.goto(`/questions/${slug}`);
  await hydrated(page);
  await page.getByRole("button", { name: /Practise this question/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.getByLabel("Your answer", { exact: true }).fill(answer);
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.getByRole("radio", { name: new RegExp(grade) }).check();
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(/\/summary$/);
}

test("the dashboard shows exact numbers, and re-grading changes them", async ({ page, context, baseURL }) => {
  test.setTimeout(90_000);
  // Two beginner database questions: Missed, then Good.
  await practise(page, "db-sql-vs-nosql", "Pick by data shape", "Missed");
  await practise(page, "db-what-is-acid", "Atomic, consistent, isolated, durable", "Good");

  await page.goto("/dashboard");
  await expect(page.getByTestId("graded-count")).toHaveText("2");
  const cell = page.getByTestId("mastery-databases-beginner");
  await expect(cell).toContainText("2.00");
  await expect(cell).toContainText("2 questions");
  await expect(page.getByTestId("mastery-databases-advanced")).toHaveCount(0);
  await expect(page.getByTestId("streak-current")).toHaveText("1");
  await expect(page.getByTestId("streak-longest")).toHaveText("1");
  const trend = page.getByTestId("trend");
  await expect(trend.locator("circle")).toHaveCount(2);
  await expect(trend.locator(".chart-summary")).toContainText("2 sessions");
  await expect(trend.locator(".chart-summary")).toContainText("Latest score 67 %");
  // The data behind the chart, behind a toggle that needs no script.
  await trend.getByText("Show the data as a table").click();
  await expect(trend.locator("table tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("per-level").locator(".chart-summary")).toHaveText("Beginner: 2 answers.");
  // Every chart is an image named by its caption and summary.
  await expect(page.getByRole("img", { name: /Answers per level.*Beginner: 2 answers/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Score trend/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Time per answer/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Activity/ })).toBeVisible();
  await expect(page.getByTestId("activity").locator("rect.cal-1")).toHaveCount(1);
  await expect(page.getByTestId("weakest").locator("li")).toHaveCount(2);
  await expect(page.getByTestId("weakest").locator("li").first()).toContainText("1 · Missed");

  for (const theme of ["light", "dark"] as const) {
    await context.addCookies([{ name: "rehearse_theme", value: theme, url: baseURL! }]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    await page.screenshot({ path: `screenshots/dashboard-${theme}.png`, fullPage: true });
  }

  // The start page lists them too, newest first, with the way onward.
  await page.goto("/");
  const recent = page.getByTestId("recent-sessions").locator("li");
  await expect(recent).toHaveCount(2);
  await expect(recent.first()).toContainText("67%");
  await expect(recent.nth(1)).toContainText("0%");
  await expect(page.getByRole("link", { name: "Your progress →" })).toHaveAttribute("href", "/dashboard");

  // History lists both; a level filter that matches neither says so.
  await page.goto("/history");
  const rows = page.getByTestId("history-table").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Level").selectOption("advanced");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/level=advanced/);
  await expect(page.getByTestId("history-none-match")).toBeVisible();
  await page.getByLabel("Level").selectOption("beginner");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(rows).toHaveCount(2);
  await page.screenshot({ path: "screenshots/history-filtered.png", fullPage: true });

  // Re-grade the older answer (Missed → Excellent) with a note.
  await rows.nth(1).getByRole("link", { name: "Review" }).click();
  await hydrated(page);
  const item = page.getByTestId("review-list").locator("li.reviewed").first();
  await expect(item.getByTestId("grade-line")).toContainText("1 · Missed");
  await item.getByText("Re-grade or edit the note").click();
  await item.getByRole("radio", { name: "4 · Excellent" }).check();
  await item.getByLabel("Note").fill("I knew this after all");
  await item.getByRole("button", { name: "Save the change" }).click();
  await expect(item.getByTestId("grade-line")).toContainText("4 · Excellent");
  await expect(item.getByTestId("note")).toHaveText("Note: I knew this after all");
  await item.getByTestId("revisions").getByText("Changed 1 time").click();
  await expect(item.getByTestId("revisions")).toContainText("grade 1 · Missed → 4 · Excellent");
  await page.screenshot({ path: "screenshots/history-regraded.png", fullPage: true });

  // The dashboard follows: latest grades 4 and 3.
  await page.goto("/dashboard");
  await expect(page.getByTestId("mastery-databases-beginner")).toContainText("3.50");
  await expect(page.getByTestId("graded-count")).toHaveText("2");
});

test("a question's page shows earlier answers with what changed", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/questions/db-what-is-an-index");
  await expect(page.getByTestId("past-answers")).toHaveCount(0);
  await practise(page, "db-what-is-an-index", "indexes speed up reads", "Partial");
  await practise(page, "db-what-is-an-index", "indexes speed up reads and slow down writes", "Good");
  await page.goto("/questions/db-what-is-an-index");
  const past = page.getByTestId("past-answers");
  await expect(past.locator("li.attempt")).toHaveCount(2);
  const newest = past.locator("li.attempt").first();
  await expect(newest).toContainText("3 · Good");
  await expect(newest.locator("ins")).toHaveText(" and slow down writes");
  await expect(past.locator("li.attempt").nth(1)).toContainText("2 · Partial");
  await expect(past.locator("li.attempt").nth(1).locator("ins, del")).toHaveCount(0);
});

test("an empty dashboard explains how to get data, and ranges are checked", async ({ page, watch }) => {
  watch.allow(/HTTP 422/);
  watch.allow(/status of 422/);
  await page.goto("/dashboard");
  await expect(page.getByTestId("dashboard-empty")).toContainText("No practice yet");
  await expect(page.getByRole("link", { name: "Start a session" })).toBeVisible();
  // A guest with a session but no grade yet sees the range and an empty state.
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("button", { name: /Quick start/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await page.goto("/dashboard?preset=30d");
  await expect(page.getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("dashboard-empty")).toContainText("Nothing graded in this range");
  await expect(page.getByTestId("streak-current")).toHaveText("0");
  // A range that ends before it starts is refused with a clear message.
  await page.getByLabel("From").fill("2026-05-10");
  await page.getByLabel("To").fill("2026-05-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("alert")).toContainText("The start date is after the end date.");
});

test("settings: time zone and hidden streaks", async ({ page }) => {
  const name = `tz${Date.now().toString(36)}`;
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill("maple river stone");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("nav-user")).toHaveText(name);
  await page.goto("/account");
  await hydrated(page);
  await page.getByLabel("Time zone").selectOption("Asia/Kolkata");
  await page.getByLabel("Hide streaks on my dashboard").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await page.screenshot({ path: "screenshots/account-settings.png", fullPage: true });
  await page.goto("/dashboard");
  await expect(page.getByText("days in Asia/Kolkata")).toBeVisible();
  await expect(page.getByTestId("streak-current")).toHaveCount(0);
  await expect(page.getByText("Streaks are hidden")).toBeVisible();
  await page.goto("/account");
  await expect(page.getByLabel("Time zone")).toHaveValue("Asia/Kolkata");
  await expect(page.getByLabel("Hide streaks on my dashboard")).toBeChecked();
});
