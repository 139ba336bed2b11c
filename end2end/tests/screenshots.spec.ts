import { test, expect, hydrated } from "./fixtures";

// Not assertions about pixels: pictures for a person to look at after a run
// (end2end/screenshots/), taken in both themes and at phone width.
const shots = "screenshots";

for (const theme of ["light", "dark"] as const) {
  test(`screenshots in ${theme} mode`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "rehearse_theme", value: theme, url: baseURL! }]);
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto("/");
    await hydrated(page);
    await page.getByRole("button", { name: "Draw a question" }).click();
    await expect(page.getByTestId("drawn-question")).toBeVisible();
    await page.screenshot({ path: `${shots}/home-${theme}.png`, fullPage: true });
    await page.goto("/questions?q=cache");
    await page.screenshot({ path: `${shots}/questions-${theme}.png` });
    await page.goto("/questions/db-what-is-an-index");
    await page.locator("details.reveal > summary").click();
    await page.screenshot({ path: `${shots}/question-${theme}.png`, fullPage: true });
  });
}

test("screenshots at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await hydrated(page);
  await page.screenshot({ path: `${shots}/home-phone.png`, fullPage: true });
  await page.goto("/questions");
  await page.screenshot({ path: `${shots}/questions-phone.png` });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow, "page scrolls sideways on a phone").toBe(false);
});

test("screenshots of a session", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("button", { name: /Quick start/ }).click();
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.getByLabel("Your answer", { exact: true }).fill("A cache keeps hot data close so reads skip the slow path.\n\n```sql\nSELECT 1;\n```");
  await expect(page.getByTestId("save-state")).toHaveText("Saved");
  await page.screenshot({ path: `${shots}/session-answering.png`, fullPage: true });
  await page.getByRole("button", { name: "Submit answer" }).click();
  await page.getByRole("button", { name: "Reveal the reference answer" }).click();
  await page.locator(".key-point-ticks input[type=checkbox]").first().check();
  await page.screenshot({ path: `${shots}/session-review.png`, fullPage: true });
  await page.getByRole("button", { name: "End session now" }).click();
  await expect(page).toHaveURL(/\/summary$/);
  await page.screenshot({ path: `${shots}/session-summary.png`, fullPage: true });
});
