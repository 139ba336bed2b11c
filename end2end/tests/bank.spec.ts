import { test, expect, hydrated } from "./fixtures";

test("filter by level and topic, search, open, reveal, and come back", async ({ page }) => {
  await page.goto("/questions");
  await hydrated(page);
  const count = page.getByTestId("result-count");
  const total = Number((await count.textContent())?.match(/\d+/)?.[0]);
  expect(total).toBeGreaterThanOrEqual(150);

  // Ticking a box applies the filter at once (island) and puts it in the URL.
  await page.getByRole("checkbox", { name: /Advanced/ }).check();
  await expect(page).toHaveURL(/level=advanced/);
  expect(page.url()).not.toContain("q=");
  await hydrated(page);
  await page.getByRole("checkbox", { name: /Databases/ }).check();
  await expect(page).toHaveURL(/topic=databases/);
  await hydrated(page);
  await expect(page.getByRole("checkbox", { name: /Advanced/ })).toBeChecked();
  const filtered = Number((await count.textContent())?.match(/\d+/)?.[0]);
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(total);
  for (const tag of await page.locator(".question-row .tag.level-advanced").all()) {
    await expect(tag).toHaveText("Advanced");
  }
  await expect(page.locator(".question-row .tag.level-beginner")).toHaveCount(0);

  // Search within the filter: prefix matching, highlighted matches.
  await page.getByRole("searchbox").fill("replic");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=replic/);
  await expect(page).toHaveURL(/level=advanced/);
  const first = page.locator(".question-row").first();
  await expect(first.locator("mark").first()).toHaveText(/^replic/i);
  const listUrl = page.url();

  // Open the question and reveal its answer.
  const prompt = (await first.locator(".question-link").textContent()) ?? "";
  await first.locator(".question-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(prompt);
  const answer = page.getByRole("region", { name: "Reference answer" });
  await expect(answer).toBeHidden();
  await page.getByText("Reveal answer").click();
  await expect(answer).toBeVisible();
  await expect(answer.getByRole("heading", { name: "Key points" })).toBeVisible();

  // Back returns to the same filtered list.
  await page.goBack();
  await expect(page).toHaveURL(listUrl);
  await expect(page.getByRole("checkbox", { name: /Databases/ })).toBeChecked();
  await expect(page.getByRole("searchbox")).toHaveValue("replic");
});

test("the reveal works from the keyboard", async ({ page }) => {
  await page.goto("/questions?topic=security&level=beginner");
  await page.locator(".question-link").first().click();
  const summary = page.getByText("Reveal answer");
  await summary.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("region", { name: "Reference answer" })).toBeVisible();
});

test("previous and next follow the filtered list", async ({ page }) => {
  await page.goto("/questions?topic=networking");
  const rows = page.locator(".question-link");
  const second = (await rows.nth(1).textContent()) ?? "";
  await rows.first().click();
  await expect(page.getByText(/Question 1 of \d+/)).toBeVisible();
  await page.getByRole("link", { name: "Next question →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(second);
  await expect(page).toHaveURL(/topic=networking/);
});

test("an empty result explains what to change", async ({ page }) => {
  await page.goto("/questions?q=zzzyqxnotaword");
  await expect(page.getByTestId("empty-results")).toBeVisible();
  await expect(page.getByText(/Try fewer or shorter words/)).toBeVisible();
  await page.getByRole("link", { name: "Show every question" }).click();
  await expect(page).toHaveURL(/\/questions$/);
});

test("hostile search text is shown back as text", async ({ page }) => {
  await page.goto("/questions?q=" + encodeURIComponent("<script>alert(1)</script>' OR 1=1 --"));
  await expect(page.getByRole("searchbox")).toHaveValue("<script>alert(1)</script>' OR 1=1 --");
  await expect(page.getByTestId("result-count")).toBeVisible();
});

test("practise this question starts a one-question session", async ({ page }) => {
  await page.goto("/questions/db-what-is-an-index");
  await hydrated(page);
  const prompt = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
  await page.getByRole("button", { name: /Practise this question/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("progress")).toHaveText("Question 1 of 1");
  await expect(page.getByTestId("prompt")).toHaveText(prompt);
});

test("after the reveal: common mistakes and what the interviewer asks next", async ({ page, context, baseURL }) => {
  await page.goto("/questions/conc-what-is-a-race-condition");
  await expect(page.getByTestId("mistakes")).toBeHidden();
  await page.getByText("Reveal answer").click();
  const mistakes = page.getByTestId("mistakes");
  await expect(mistakes.getByRole("heading", { name: "Common mistakes" })).toBeVisible();
  expect(await mistakes.locator("li").count()).toBeGreaterThan(0);
  const follow = page.getByTestId("follow-ups");
  await expect(follow.getByRole("heading", { name: "The interviewer asks next…" })).toBeVisible();
  const first = follow.locator("li").first();
  await first.getByText("Reveal a model answer").click();
  await expect(first.locator(".markdown")).toBeVisible();
  for (const theme of ["light", "dark"] as const) {
    await context.addCookies([{ name: "rehearse_theme", value: theme, url: baseURL! }]);
    await page.reload();
    await page.getByText("Reveal answer").click();
    await page.getByTestId("follow-ups").locator("li").first().getByText("Reveal a model answer").click();
    await page.screenshot({ path: `screenshots/follow-ups-${theme}.png`, fullPage: true });
  }
});

test("in a session the interviewer's follow-up can be answered next and graded", async ({ page }) => {
  await page.goto("/questions/conc-what-is-a-race-condition");
  await hydrated(page);
  await page.getByRole("button", { name: /Practise this question/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.getByLabel("Your answer", { exact: true }).fill("Two requests interleave check and act.");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await expect(page.getByTestId("mistakes")).toBeVisible();
  const follow = page.getByTestId("follow-ups");
  const prompt = (await follow.locator(".follow-up-prompt").first().textContent()) ?? "";
  await page.screenshot({ path: "screenshots/runner-follow-ups.png", fullPage: true });
  await follow.getByTestId("ask-follow-up").first().click();
  await expect(follow.getByTestId("follow-up-added")).toBeVisible();
  await page.getByRole("radio", { name: /Good/ }).check();
  await page.getByRole("button", { name: "Next question" }).click();
  await expect(page.getByTestId("follow-up-label")).toHaveText("The interviewer follows up:");
  await expect(page.getByTestId("prompt")).toHaveText(prompt);
  await page.getByLabel("Your answer", { exact: true }).fill("Yes: every await lets another request run.");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.getByRole("radio", { name: /Partial/ }).check();
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(/\/summary$/);
});
