import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";
import * as fs from "fs";

const PASSWORD = "quiet harbour lantern";

function uniqueName(prefix: string) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

async function register(page: Page, username: string, role: "candidate" | "recruiter") {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  if (role === "recruiter") {
    await page.getByRole("radio", { name: /recruiter/ }).check();
  }
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("nav-user")).toHaveText(username);
}

async function shoot(page: Page, name: string) {
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
    await page.screenshot({ path: `screenshots/${name}-${theme}.png`, fullPage: true });
  }
  await page.evaluate(() => document.documentElement.removeAttribute("data-theme"));
}

test("a recruiter writes a question, builds a set, reorders, reloads, exports and imports it", async ({ page }) => {
  test.setTimeout(120_000);
  await register(page, uniqueName("rec"), "recruiter");
  await expect(page.getByTestId("nav-sets")).toBeVisible();

  // Their own question, with a code block and a live preview.
  await page.goto("/sets/questions/new");
  await hydrated(page);
  await page.getByLabel("Question", { exact: true }).fill("When does a covering index avoid the table lookup?");
  await page.getByLabel("Level").selectOption("intermediate");
  await page.getByLabel("Topic").selectOption("databases");
  await page
    .getByLabel(/Reference answer/)
    .fill("When every column the query needs is in the index:\n\n```sql\nCREATE INDEX orders_by_user ON orders (user_id, created_at);\n```");
  await expect(page.getByTestId("answer-preview").locator("pre code")).toContainText("CREATE INDEX orders_by_user");
  await page.getByLabel("Key point 1", { exact: true }).fill("all needed columns are in the index");
  await page.getByRole("button", { name: "Add a key point" }).click();
  await page.getByLabel("Key point 2", { exact: true }).fill("the heap or table is never read");
  await page.getByRole("button", { name: "Save question" }).click();
  await expect(page).toHaveURL(/\/sets\/questions\/own-[0-9a-f]+$/);
  await hydrated(page);
  await expect(page.getByLabel("Key point 2", { exact: true })).toHaveValue("the heap or table is never read");
  await shoot(page, "question-editor");

  // A set from the bank and that question.
  await page.goto("/sets");
  await hydrated(page);
  await expect(page.getByTestId("sets-empty")).toBeVisible();
  const title = `Backend round ${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create set" }).click();
  await expect(page).toHaveURL(/\/sets\/[0-9a-f-]{36}$/);
  const setUrl = page.url();
  await hydrated(page);
  await expect(page.getByTestId("set-empty")).toBeVisible();

  const picker = page.getByTestId("picker-results");
  await expect(page.getByTestId("picker-count")).toBeVisible();
  await page.getByLabel("Search", { exact: true }).fill("isolation anomalies");
  await expect(picker.locator("li").first()).toContainText(/isolation/i);
  await picker.getByRole("button", { name: /^Add:/ }).first().click();
  await page.getByLabel("Search", { exact: true }).fill("covering index avoid");
  await expect(picker.locator(".tag.own")).toHaveCount(1);
  await picker.getByRole("button", { name: /^Add: When does a covering index/ }).click();
  const items = page.getByTestId("set-items").locator("li");
  await expect(items).toHaveCount(2);
  await expect(items.nth(1)).toContainText("covering index");
  await expect(picker.getByText("In the set")).toHaveCount(1);

  // Reorder from the keyboard: the second question moves up.
  await page.getByRole("button", { name: "Move question 2 up" }).focus();
  await page.keyboard.press("Enter");
  await expect(items.nth(0)).toContainText("covering index");
  // Timing: 4 minutes a question, one question 6.
  await page.getByLabel(/Minutes per question/).fill("4");
  await page.getByLabel("Minutes for question 2").fill("6");
  await page.getByLabel("Minutes for question 2").blur();
  await expect(page.getByTestId("set-summary")).toHaveText(/^2 questions · .*intermediate.* · 10 min$/);
  await expect(page.getByTestId("set-save-state")).toHaveText("Saved");
  await shoot(page, "set-editor");

  // Reload: nothing lost.
  await page.reload();
  await hydrated(page);
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText("covering index");
  await expect(page.getByLabel("Minutes for question 2")).toHaveValue("6");
  await expect(page.getByLabel(/Minutes per question/)).toHaveValue("4");
  await expect(page.getByTestId("set-summary")).toContainText("10 min");

  // Export as JSON, import it back as a copy.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "JSON" }).click();
  const file = await download;
  const path = await file.path();
  const json = JSON.parse(fs.readFileSync(path, "utf8"));
  expect(json.format).toBe("rehearse-set");
  expect(json.set.title).toBe(title);
  expect(json.questions).toHaveLength(2);

  await page.goto("/sets/import");
  await hydrated(page);
  await page.locator("input[type=file]").setInputFiles(path);
  await expect(page.getByRole("radio", { name: /JSON/ })).toBeChecked();
  await expect(page.locator("textarea")).not.toHaveValue("");
  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText(`with 2 questions`);
  await shoot(page, "set-import");
  await page.getByRole("button", { name: "Import 2 questions" }).click();
  await expect(page).toHaveURL(/\/sets\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toBe(setUrl);
  await hydrated(page);
  await expect(page.getByTestId("set-items").locator("li")).toHaveCount(2);
  await expect(page.getByTestId("set-items").locator("li").nth(0)).toContainText("covering index");

  // Both sets are listed.
  await page.goto("/sets");
  await expect(page.getByTestId("sets-table").locator("tbody tr")).toHaveCount(2);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(setUrl);
  await hydrated(page);
  await page.screenshot({ path: "screenshots/set-editor-phone.png", fullPage: true });
});

test("a bad import file is refused line by line and saves nothing", async ({ page }) => {
  await register(page, uniqueName("imp"), "recruiter");
  await page.goto("/sets/import");
  await hydrated(page);
  await page.getByRole("radio", { name: /CSV/ }).check();
  await page.getByLabel(/paste it here/).fill("prompt,level,topic,answer,key_points\nFine?,beginner,databases,Yes.,one\nNot fine,expert,databases,No.,one\n");
  await page.getByRole("button", { name: "Check the file" }).click();
  await expect(page.getByTestId("import-report")).toContainText("line 3");
  await expect(page.getByTestId("import-report")).toContainText("Nothing was imported");
  await page.goto("/sets/questions");
  await expect(page.getByTestId("own-empty")).toBeVisible();
});

test("a candidate has no sets: no link, and a clear 403", async ({ page, watch }) => {
  watch.allow(/HTTP 403 .*\/sets/);
  watch.allow(/status of 403/);
  await register(page, uniqueName("cand"), "candidate");
  await expect(page.getByTestId("nav-sets")).toHaveCount(0);
  const res = await page.goto("/sets");
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("sets-forbidden")).toContainText("Question sets are for recruiters");
});
