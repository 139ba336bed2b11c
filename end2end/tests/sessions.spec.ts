import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

function seconds(clock: string): number {
  const m = clock.match(/^(\d+):(\d{2})$/);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

async function startFromSetup(page: Page, opts: { mode: "Practice" | "Interview"; count: number; perQuestion: number }) {
  await page.goto("/practice/new");
  await hydrated(page);
  await page.getByRole("radio", { name: new RegExp(opts.mode) }).check();
  await page.getByLabel("Questions").fill(String(opts.count));
  await page.getByLabel(/Seconds per question/).fill(String(opts.perQuestion));
  await page.getByRole("button", { name: "Start session" }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
}

test("a full interview: reload mid-answer, a timeout, keyboard grading, summary", async ({ page }) => {
  test.setTimeout(90_000);
  await startFromSetup(page, { mode: "Interview", count: 2, perQuestion: 20 });
  const sessionUrl = page.url();
  await expect(page.getByTestId("progress")).toHaveText("Question 1 of 2");

  // Type, and wait for the autosave to land.
  const editor = page.getByLabel("Your answer", { exact: true });
  await editor.fill("Indexes trade write speed for read speed.");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  const before = seconds((await page.getByTestId("countdown").textContent()) ?? "");
  expect(before).toBeGreaterThan(5);

  // Reload: the draft is still there and the clock did not restart.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Your answer", { exact: true })).toHaveValue("Indexes trade write speed for read speed.");
  const after = seconds((await page.getByTestId("countdown").textContent()) ?? "");
  expect(after).toBeLessThanOrEqual(before);
  expect(after).toBeLessThan(20);

  // Submit, reveal, tick, grade and move on from the keyboard.
  await page.getByLabel("Your answer", { exact: true }).focus();
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("your-answer")).toHaveText("Indexes trade write speed for read speed.");
  await page.keyboard.press("r");
  await expect(page.getByTestId("reference")).toBeVisible();
  await page.locator(".key-point-ticks input[type=checkbox]").first().check();
  await expect(page.getByTestId("suggested")).toContainText("suggest 2");
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("3");
  await expect(page.getByRole("radio", { name: /Good/ })).toBeChecked();
  await page.keyboard.press("n");
  await expect(page.getByTestId("progress")).toHaveText("Question 2 of 2");

  // Second question: type, then let the clock run out.
  await page.getByLabel("Your answer", { exact: true }).fill("Half an answer");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await expect(page.getByTestId("timed-out")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("your-answer")).toHaveText("Half an answer");
  await page.keyboard.press("r");
  await page.keyboard.press("2");
  await page.keyboard.press("n");

  // The summary shows what was done.
  await expect(page).toHaveURL(sessionUrl + "/summary");
  const table = page.getByTestId("summary-table");
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await expect(table.locator("tbody tr").nth(0)).toContainText("3 · Good");
  await expect(table.locator("tbody tr").nth(1)).toContainText("2 · Partial");
  await expect(table.locator("tbody tr").nth(1)).toContainText("timed out");
  await expect(page.getByTestId("score")).toHaveText("50%");
  await expect(page.getByTestId("answered")).toHaveText("2 / 2");
});

test("practice mode lets you pause, extend and switch the timer off", async ({ page }) => {
  await startFromSetup(page, { mode: "Practice", count: 1, perQuestion: 60 });
  const countdown = page.getByTestId("countdown");
  await page.getByRole("button", { name: "Pause timer" }).click();
  await expect(countdown).toHaveText("Paused");
  await page.getByRole("button", { name: "Resume timer" }).click();
  await expect(countdown).toHaveText(/^[01]:\d{2}$/);
  await page.getByRole("button", { name: "+1 minute" }).click();
  await expect(countdown).toHaveText(/^1:\d{2}$/);
  await page.getByRole("button", { name: "Turn timer off" }).click();
  await expect(countdown).toHaveText("Timer off");
  await page.reload();
  await expect(page.getByTestId("countdown")).toHaveText("Timer off");
});

test("a guest practises, registers, and keeps the history", async ({ page }) => {
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("button", { name: /Quick start/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  const sessionUrl = page.url();
  await hydrated(page);
  await page.getByLabel("Your answer", { exact: true }).fill("An answer written as a guest");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await expect(page.getByTestId("your-answer")).toHaveText("An answer written as a guest");

  // The start page offers to resume it.
  await page.goto("/");
  await expect(page.getByTestId("resume")).toContainText("question 1 of 5");

  const name = `guest${Date.now().toString(36)}`;
  await page.goto("/register");
  await hydrated(page);
  await expect(page.getByText("You have been practising as a guest")).toBeVisible();
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill("maple river stone");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("nav-user")).toHaveText(name);

  await page.goto(sessionUrl + "/summary");
  await expect(page.getByTestId("answered")).toHaveText("1 / 5");
  await page.goto(sessionUrl);
  await expect(page.getByTestId("your-answer")).toHaveText("An answer written as a guest");
});

test("someone else's session is not found", async ({ page, browser, watch }) => {
  watch.allow(/HTTP 404/);
  watch.allow(/status of 404/);
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("button", { name: /Quick start/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  const url = page.url();
  // A different browser (another guest) tries the same address.
  const stranger = await browser.newPage();
  await stranger.goto("/");
  await hydrated(stranger);
  await stranger.getByRole("button", { name: /Quick start/ }).click();
  await expect(stranger).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  const res = await stranger.goto(url);
  expect(res?.status()).toBe(404);
  await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await stranger.close();
});

test("history lists past sessions and reviews one beside the reference", async ({ page }) => {
  await page.goto("/history");
  await expect(page.getByTestId("history-empty")).toBeVisible();
  await startFromSetup(page, { mode: "Practice", count: 1, perQuestion: 0 });
  await page.getByLabel("Your answer", { exact: true }).fill("My remembered answer");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.locator(".key-point-ticks input[type=checkbox]").first().check();
  await page.getByRole("radio", { name: /Excellent/ }).check();
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(/\/summary$/);
  await expect(page.getByTestId("score")).toHaveText("100%");

  await page.goto("/history");
  const rows = page.getByTestId("history-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("100%");
  await expect(rows.first()).toContainText("1 / 1");
  await rows.first().getByRole("link", { name: "Review" }).click();
  const item = page.getByTestId("review-list").locator("li.reviewed").first();
  await expect(item.locator(".your-answer")).toHaveText("My remembered answer");
  await expect(item).toContainText("4 · Excellent");
  await expect(item.locator(".key-points .hit")).toHaveCount(1);
  // Nothing was weak, so there is nothing to retry.
  await expect(page.getByRole("button", { name: /Retry the weak ones/ })).toHaveCount(0);
});

test("retry the weak ones starts a session with exactly the weak questions", async ({ page }) => {
  await startFromSetup(page, { mode: "Practice", count: 3, perQuestion: 0 });
  const prompts: string[] = [];
  for (const [i, grade] of ["Missed", "Excellent", "Partial"].entries()) {
    await expect(page.getByTestId("progress")).toHaveText(`Question ${i + 1} of 3`);
    prompts.push((await page.getByTestId("prompt").textContent()) ?? "");
    await page.getByLabel("Your answer", { exact: true }).fill(`answer graded ${grade}`);
    await page.getByRole("button", { name: "Submit answer" }).click();
    await page.getByRole("button", { name: "Reveal the reference answer" }).click();
    await page.getByRole("radio", { name: new RegExp(grade) }).check();
    await page.getByRole("button", { name: /Next question|Finish/ }).click();
  }
  await expect(page).toHaveURL(/\/summary$/);
  await page.getByRole("link", { name: "Review answers beside the reference" }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Retry the weak ones (2)" }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId("progress")).toHaveText("Question 1 of 2");
  await expect(page.getByTestId("prompt")).toHaveText(prompts[0]);
  await page.getByLabel("Your answer", { exact: true }).fill("second try");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.getByRole("radio", { name: /Good/ }).check();
  await page.getByRole("button", { name: "Next question" }).click();
  await expect(page.getByTestId("prompt")).toHaveText(prompts[2]);
});

test("a grade picked before ending the session is the grade that is stored", async ({ page }) => {
  await startFromSetup(page, { mode: "Practice", count: 2, perQuestion: 300 });
  const sessionUrl = page.url();
  await page.getByLabel("Your answer", { exact: true }).fill("Not sure at all.");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.getByRole("radio", { name: /Missed/ }).check();
  await page.getByLabel("Note (optional)").fill("revisit this");
  // End at once, without pressing Finish or Next.
  await page.getByRole("button", { name: "End session now" }).click();
  await expect(page).toHaveURL(sessionUrl + "/summary");
  const first = page.getByTestId("summary-table").locator("tbody tr").nth(0);
  await expect(first).toContainText("1 · Missed");
  await page.goto(sessionUrl.replace("/practice/", "/history/"));
  await expect(page.getByTestId("grade-line").first()).toContainText("1 · Missed");
  await expect(page.getByTestId("note").first()).toContainText("revisit this");
});

test("what a candidate types inside angle brackets is shown as typed", async ({ page }) => {
  await startFromSetup(page, { mode: "Practice", count: 1, perQuestion: 300 });
  const sessionUrl = page.url();
  const typed =
    "Use Vec<String> and Option<T>; a<b and b>c. <script>window.pwned=1</script> " +
    "<img src=x onerror=\"window.pwned=2\"> &lt;b&gt; and **bold**";
  await page.getByLabel("Your answer", { exact: true }).fill(typed);
  await page.getByRole("button", { name: "Submit answer" }).click();
  const answer = page.getByTestId("your-answer");
  await expect(answer).toContainText("Use Vec<String> and Option<T>; a<b and b>c.");
  await expect(answer).toContainText("<script>window.pwned=1</script>");
  await expect(answer).toContainText("<img src=x onerror=\"window.pwned=2\">");
  await expect(answer).toContainText("&lt;b&gt; and bold");
  await expect(answer.locator("strong")).toHaveText("bold");
  await expect(answer.locator("script, img, b")).toHaveCount(0);
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.getByRole("radio", { name: /Good/ }).check();
  await page.getByRole("button", { name: "Finish" }).click();
  await expect(page).toHaveURL(sessionUrl + "/summary");
  await page.goto(sessionUrl.replace("/practice/", "/history/"));
  const inHistory = page.locator(".your-answer").first();
  await expect(inHistory).toContainText("Use Vec<String> and Option<T>; a<b and b>c.");
  await expect(inHistory).toContainText("<script>window.pwned=1</script>");
  await expect(inHistory.locator("script, img")).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});
