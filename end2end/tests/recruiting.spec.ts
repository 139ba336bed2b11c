import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";
import * as fs from "fs";

const PASSWORD = "quiet harbour lantern";

function uniqueName(prefix: string) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

async function registerRecruiter(page: Page, username: string) {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("radio", { name: /recruiter/ }).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("nav-user")).toHaveText(username);
}

/** A two-question interview set, the second with a 6-second limit. */
async function buildSet(page: Page, title: string): Promise<string> {
  await page.goto("/sets");
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create set" }).click();
  await expect(page).toHaveURL(/\/sets\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const picker = page.getByTestId("picker-results");
  await expect(page.getByTestId("picker-count")).toBeVisible();
  for (const words of ["what is an index", "isolation anomalies"]) {
    await page.getByLabel("Search", { exact: true }).fill(words);
    await expect(picker.locator("li").first()).toContainText(new RegExp(words.split(" ").pop()!, "i"));
    await picker.getByRole("button", { name: /^Add:/ }).first().click();
  }
  await expect(page.getByTestId("set-items").locator("li")).toHaveCount(2);
  await page.getByLabel(/Minutes per question/).fill("2");
  await page.getByLabel("Minutes for question 2").fill("0.1");
  await page.getByLabel("Minutes for question 2").blur();
  await expect(page.getByTestId("set-save-state")).toHaveText("Saved");
  return page.url();
}

test("share a set, a guest takes it, the recruiter reviews, exports and prints", async ({ page, browser, watch }) => {
  test.setTimeout(150_000);
  watch.allow(/HTTP 410/);
  watch.allow(/status of 410/);
  await registerRecruiter(page, uniqueName("hr"));
  const title = `Platform round ${Date.now().toString(36)}`;
  const setUrl = await buildSet(page, title);

  // Share it.
  await page.getByLabel(/^Label/).fill("first round");
  await page.getByRole("button", { name: "Create link" }).click();
  const url = await page.getByTestId("link-url").first().inputValue();
  expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{22,}$/);
  await expect(page.getByTestId("share-links")).toContainText("first round");

  // A candidate in another browser: rules, consent, a name, the run.
  const candidate = await (await browser.newContext()).newPage();
  const problems: string[] = [];
  candidate.on("pageerror", (e) => problems.push(e.message));
  await candidate.goto(url);
  await hydrated(candidate);
  await expect(candidate.getByTestId("rules")).toContainText("2 questions");
  await expect(candidate.getByTestId("consent")).toContainText("how often and how long this tab is hidden");
  await candidate.getByLabel(/Your name/).fill("Robin Candidate");
  await candidate.getByRole("button", { name: "Start the interview" }).click();
  await expect(candidate).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(candidate);
  await expect(candidate.getByTestId("progress")).toHaveText("Question 1 of 2");
  await candidate.getByLabel("Your answer", { exact: true }).fill("An index is a **sorted** structure:\n\n```sql\nCREATE INDEX i ON t (a);\n```");
  await candidate.getByRole("button", { name: "Submit answer" }).click();
  await candidate.getByRole("button", { name: "Reveal the reference answer" }).click();
  await candidate.locator(".key-point-ticks input[type=checkbox]").first().check();
  await candidate.getByRole("radio", { name: /Excellent/ }).check();
  await candidate.getByRole("button", { name: "Next question" }).click();
  // The second question's own 6-second limit runs out.
  await expect(candidate.getByTestId("progress")).toHaveText("Question 2 of 2");
  await candidate.getByLabel("Your answer", { exact: true }).fill("Half a thought");
  await expect(candidate.getByTestId("timed-out")).toBeVisible({ timeout: 20_000 });
  await candidate.getByRole("button", { name: "Reveal the reference answer" }).click();
  await candidate.getByRole("radio", { name: /Partial/ }).check();
  await candidate.getByRole("button", { name: "Finish" }).click();
  await expect(candidate).toHaveURL(/\/summary$/);
  await expect(candidate.getByTestId("answered")).toHaveText("2 / 2");
  expect(problems).toEqual([]);

  // The recruiter's results.
  await page.goto(setUrl + "/results");
  const rows = page.getByTestId("results-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Robin Candidate");
  await expect(rows.first()).toContainText("2 / 2");
  await expect(rows.first()).toContainText("67%");
  await page.screenshot({ path: "screenshots/results-table.png", fullPage: true });

  // Review each answer: ticks, a grade, a comment; it saves itself.
  await rows.first().getByRole("link", { name: "Robin Candidate" }).click();
  await hydrated(page);
  await expect(page.getByTestId("candidate-name")).toHaveText("Robin Candidate");
  await expect(page.locator(".candidate-answer pre code").first()).toContainText("CREATE INDEX i ON t (a);");
  for (const [n, grade] of [[1, "Good"], [2, "Missed"]] as const) {
    const panel = page.getByTestId(`review-${n}`);
    await panel.locator(".key-point-ticks input").first().check();
    await panel.getByRole("radio", { name: new RegExp(grade) }).check();
    await panel.getByLabel("Comment").fill(`Comment on answer ${n}`);
    await expect(page.getByTestId(`review-state-${n}`)).toHaveText("Saved");
  }
  // From the keyboard: J to the first answer, 4 grades it Excellent, then
  // back to Good with 3. The first save is held back on a slow network: the
  // second must wait for it, not overtake it, or Excellent would land last.
  let open = 0;
  let most = 0;
  let sent = 0;
  await page.route("**/api/sharing/review", async (route) => {
    if (!route.request().postData()?.includes("position=0")) return route.continue();
    open += 1;
    most = Math.max(most, open);
    if (sent++ === 0) await new Promise((r) => setTimeout(r, 1_500));
    await route.continue();
    open -= 1;
  });
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("j");
  await page.keyboard.press("4");
  await expect(page.getByTestId("review-1").getByRole("radio", { name: /Excellent/ })).toBeChecked();
  await page.keyboard.press("3");
  await expect(page.getByTestId("review-1").getByRole("radio", { name: /Good/ })).toBeChecked();
  await expect(page.getByTestId("review-state-1")).toHaveText("Saved");
  expect(sent).toBe(2);
  expect(most).toBe(1);
  await page.unroute("**/api/sharing/review");
  await page.getByTestId("recommendation").getByRole("radio", { name: /maybe/ }).check();
  await page.getByTestId("recommendation").getByLabel("Note").fill("Strong on indexes, rushed the second.");
  await expect(page.getByTestId("recommendation").locator(".save-state")).toHaveText("Saved");
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("reviewer-score")).toHaveText("33%");
  await expect(page.getByTestId("review-1").getByLabel("Comment")).toHaveValue("Comment on answer 1");
  await expect(page.getByTestId("candidate-self-vs-reviewer")).toBeVisible();
  await page.screenshot({ path: "screenshots/results-review.png", fullPage: true });

  // The printed report, as a PDF.
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: "screenshots/results-print.png", fullPage: true });
  const pdf = await page.pdf({ format: "A4" });
  fs.writeFileSync("screenshots/results-report.pdf", pdf);
  expect(pdf.length).toBeGreaterThan(10_000);
  await page.emulateMedia({ media: "screen" });

  // CSV: the numbers add up.
  await page.goto(setUrl + "/results");
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Summary CSV" }).click();
  const csv = fs.readFileSync(await (await download).path(), "utf8").trim().split("\n");
  const header = csv[0].split(",");
  const row = csv[1].split(",");
  const col = (name: string) => row[header.indexOf(name)];
  expect(col("candidate")).toBe("Robin Candidate");
  expect(col("answered")).toBe("2");
  expect(col("self_score")).toBe("67");
  expect(col("reviewer_score")).toBe("33");
  expect(col("timed_out")).toBe("1");
  expect(col("review_status")).toBe("reviewed");
  expect(col("recommendation")).toBe("maybe");

  // A revoked link says so, with 410, to anyone who opens it.
  await page.goto(setUrl);
  await hydrated(page);
  await page.getByTestId("share-links").getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("share-links")).toContainText("revoked");
  const late = await (await browser.newContext()).newPage();
  const res = await late.goto(url);
  expect(res?.status()).toBe(410);
  await expect(late.getByTestId("link-closed")).toContainText("withdrawn");
  await late.screenshot({ path: "screenshots/link-closed.png" });
  await late.close();
  await candidate.close();
});

test("an unknown link is a 404 that reveals nothing", async ({ page, watch }) => {
  watch.allow(/HTTP 404/);
  watch.allow(/status of 404/);
  const res = await page.goto("/s/this-code-does-not-exist-anywhere");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
});

test("a set that keeps its references private: the candidate grades without them, then reads the feedback", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await registerRecruiter(page, uniqueName("priv"));
  await page.goto("/sets");
  await hydrated(page);
  await page.getByLabel("Title").fill("Private references");
  await page.getByRole("button", { name: "Create set" }).click();
  await expect(page).toHaveURL(/\/sets\/[0-9a-f-]{36}$/);
  const setUrl = page.url();
  await hydrated(page);
  const picker = page.getByTestId("picker-results");
  await expect(page.getByTestId("picker-count")).toBeVisible();
  await picker.getByRole("button", { name: /^Add:/ }).first().click();
  await page.getByRole("checkbox", { name: /Hide reference answers/ }).check();
  await page.getByRole("checkbox", { name: /Share your grades and comments/ }).check();
  await expect(page.getByTestId("set-save-state")).toHaveText("Saved");
  await page.getByRole("button", { name: "Create link" }).click();
  const url = await page.getByTestId("link-url").first().inputValue();

  const candidate = await (await browser.newContext()).newPage();
  await candidate.goto(url);
  await hydrated(candidate);
  await candidate.getByLabel(/Your name/).fill("Sam Private");
  await candidate.getByRole("button", { name: "Start the interview" }).click();
  await expect(candidate).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  const session = candidate.url().split("/").pop()!;
  await hydrated(candidate);
  await candidate.getByLabel("Your answer", { exact: true }).fill("My own words");
  await candidate.getByRole("button", { name: "Submit answer" }).click();
  await expect(candidate.getByTestId("reference-hidden")).toBeVisible();
  await expect(candidate.getByTestId("reference")).toHaveCount(0);
  await candidate.getByRole("radio", { name: /Good/ }).check();
  await candidate.getByRole("button", { name: "Finish" }).click();
  await expect(candidate).toHaveURL(/\/summary$/);

  // The recruiter grades it; the candidate reads it in their history.
  await page.goto(setUrl + "/results");
  await page.getByTestId("results-table").getByRole("link", { name: "Sam Private" }).click();
  await hydrated(page);
  await page.getByTestId("review-1").getByRole("radio", { name: /Excellent/ }).check();
  await page.getByTestId("review-1").getByLabel("Comment").fill("Clear and complete.");
  await expect(page.getByTestId("review-state-1")).toHaveText("Saved");
  await candidate.goto(`/history/${session}`);
  await expect(candidate.getByTestId("reference-private")).toBeVisible();
  await expect(candidate.getByTestId("reviewer-feedback")).toContainText("Clear and complete.");
  await expect(candidate.getByTestId("reviewer-feedback")).toContainText("4 · Excellent");
  await candidate.close();
});
