import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

// Hostile text typed into every field a person can fill, then read back on
// every page that shows it: no script runs (no dialog), no injected element
// exists, no javascript: link survives.
const PAYLOADS = [
  `<img src=x onerror=alert(1) data-xss>`,
  `<script data-xss>alert(2)</script>`,
  `<svg data-xss onload=alert(3)></svg>`,
  `[click me](javascript:alert(4))`,
  `<a data-xss href="javascript:alert(5)">x</a>`,
  `&lt;b data-xss&gt;6&lt;/b&gt;`,
  `"><b data-xss>7</b>`,
  `<iframe data-xss srcdoc="<script>alert(8)</script>"></iframe>`,
  `</textarea><b data-xss>9</b>`,
];
const ALL = PAYLOADS.join("\n\n");
const SHORT = `<img src=x onerror=alert(1) data-xss> "><b data-xss>7</b>`;
const PASSWORD = "quiet harbour lantern";

function watchDialogs(page: Page, seen: string[]) {
  page.on("dialog", async (d) => {
    seen.push(d.message());
    await d.dismiss();
  });
}

async function clean(page: Page, label: string) {
  expect(await page.locator("[data-xss]").count(), `${label}: injected element`).toBe(0);
  expect(await page.locator('a[href^="javascript:" i], iframe').count(), `${label}: script link`).toBe(0);
}

test("hostile text in every field stays text on every page", async ({ page, browser, watch }) => {
  test.setTimeout(150_000);
  // The refused username is a 422 by design.
  watch.allow(/HTTP 422/);
  watch.allow(/status of 422/);
  const dialogs: string[] = [];
  watchDialogs(page, dialogs);

  // A username made of markup is refused with a clear message.
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Username").fill(`<b data-xss>x</b>`);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // The browser refuses it first (the field's pattern)...
  const field = page.getByLabel("Username");
  expect(await field.evaluate((el) => (el as HTMLInputElement).validity.valid)).toBe(false);
  // ...and the server too, when the browser check is bypassed.
  await field.evaluate((el) => el.removeAttribute("pattern"));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toContainText("letters, digits");
  await clean(page, "register");

  // A recruiter: set title, instructions, link label.
  const name = `xss${Date.now().toString(36)}`;
  await page.getByLabel("Username").fill(name);
  await page.getByRole("radio", { name: /recruiter/ }).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("nav-user")).toHaveText(name);
  await page.goto("/sets");
  await hydrated(page);
  await page.getByLabel("Title").fill(SHORT);
  await page.getByRole("button", { name: "Create set" }).click();
  await expect(page).toHaveURL(/\/sets\/[0-9a-f-]{36}$/);
  const setUrl = page.url();
  await hydrated(page);
  await page.getByLabel(/Instructions to candidates/).fill(ALL);
  await page.getByLabel("Search", { exact: true }).fill("what is an index");
  await page.getByTestId("picker-results").getByRole("button", { name: /^Add:/ }).first().click();
  await expect(page.getByTestId("set-items").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("set-save-state")).toHaveText("Saved");
  await page.reload();
  await hydrated(page);
  await clean(page, "set editor");
  await page.goto("/sets");
  await clean(page, "set list");
  await page.goto(setUrl);
  await hydrated(page);
  await page.getByLabel(/^Label/).fill(SHORT);
  await page.getByRole("button", { name: "Create link" }).click();
  const url = await page.getByTestId("link-url").first().inputValue();
  await clean(page, "share links");

  // A candidate: name, answer, note.
  const candidate = await (await browser.newContext()).newPage();
  watchDialogs(candidate, dialogs);
  await candidate.goto(url);
  await hydrated(candidate);
  await clean(candidate, "candidate landing");
  await candidate.getByLabel(/Your name/).fill(SHORT);
  await candidate.getByRole("button", { name: "Start the interview" }).click();
  await expect(candidate).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(candidate);
  await candidate.getByLabel("Your answer", { exact: true }).fill(ALL);
  await candidate.getByRole("button", { name: "Submit answer" }).click();
  await candidate.getByRole("button", { name: "Reveal the reference answer" }).click();
  await candidate.getByRole("radio", { name: /Good/ }).check();
  await candidate.getByLabel("Note (optional)").fill(ALL);
  await clean(candidate, "runner");
  await candidate.getByRole("button", { name: "Finish" }).click();
  await expect(candidate).toHaveURL(/\/summary$/);
  await clean(candidate, "summary");
  await candidate.goto("/history");
  await clean(candidate, "history");

  // The recruiter reads it all and comments.
  await page.goto(setUrl + "/results");
  await clean(page, "results");
  const rows = page.getByTestId("results-table").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("link").first().click();
  await hydrated(page);
  await clean(page, "candidate report");
  const panel = page.getByTestId("review-1");
  await panel.getByRole("radio", { name: /Good/ }).check();
  await panel.getByLabel("Comment").fill(ALL);
  await expect(page.getByTestId("review-state-1")).toHaveText("Saved");
  await page.reload();
  await hydrated(page);
  await clean(page, "candidate report with comment");
  await page.goto(setUrl + "/results/compare");
  await clean(page, "compare");

  // A search for hostile text is shown back as text.
  await page.goto(`/questions?q=${encodeURIComponent(SHORT)}`);
  await clean(page, "search");

  expect(dialogs, "no script ran").toEqual([]);
});
