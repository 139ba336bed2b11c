import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// axe-core on every page a person reaches, in both themes and at desktop
// and phone width: no WCAG 2.2 level A or AA violation.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

async function audit(page: Page, label: string) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = result.violations.map(
    (v) => `${label}: ${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
  expect(found, `axe on ${label}`).toEqual([]);
}

// Dark comes two ways: chosen with the toggle (the cookie), or left on
// "system" with the browser preferring dark.
const THEMES = [
  { label: "light", cookie: "light", scheme: "light" },
  { label: "dark", cookie: "dark", scheme: "light" },
  { label: "system dark", cookie: "system", scheme: "dark" },
] as const;

for (const theme of THEMES) {
  for (const width of [1280, 390]) {
    test(`no WCAG A/AA violations: ${theme.label}, ${width}px wide`, async ({ page, context, baseURL }) => {
      test.setTimeout(150_000);
      await context.addCookies([{ name: "rehearse_theme", value: theme.cookie, url: baseURL! }]);
      await page.emulateMedia({ colorScheme: theme.scheme });
      await page.setViewportSize({ width, height: 900 });
      for (const path of ["/", "/questions", "/questions?q=cache&level=advanced", "/review", "/login", "/register", "/practice/new"]) {
        await page.goto(path);
        await hydrated(page);
        await audit(page, path);
      }
      // A question with its answer, mistakes and follow-ups revealed.
      await page.goto("/questions/conc-what-is-a-race-condition");
      await hydrated(page);
      await page.getByText("Reveal answer").click();
      await audit(page, "question, revealed");

      // A session: answering, then reviewing, then the summary.
      await page.getByRole("button", { name: /Practise this question/ }).click();
      await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
      await hydrated(page);
      await audit(page, "runner, answering");
      await page.getByLabel("Your answer", { exact: true }).fill("Two requests interleave a check and an act.");
      await page.getByRole("button", { name: "Submit answer" }).click();
      await page.getByRole("button", { name: "Reveal the reference answer" }).click();
      await page.getByRole("radio", { name: /Good/ }).check();
      await audit(page, "runner, reviewing");
      await page.getByRole("button", { name: "Finish" }).click();
      await expect(page).toHaveURL(/\/summary$/);
      await audit(page, "summary");
      for (const path of ["/history", "/dashboard", "/review"]) {
        await page.goto(path);
        await hydrated(page);
        await audit(page, `${path} with one session`);
      }
      await page.goto("/history");
      await page.getByTestId("history-table").locator("tbody a").first().click();
      await hydrated(page);
      await audit(page, "one past session");

      // The guest keeps their work as an account; its page has the
      // destructive actions.
      await page.goto("/register");
      await hydrated(page);
      await page.getByLabel("Username").fill(`a11y${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`);
      await page.getByLabel("Password").fill("quiet harbour lantern");
      await page.getByRole("button", { name: /Create account|Keep my work/ }).click();
      await expect(page).not.toHaveURL(/\/register/);
      await page.goto("/account");
      await hydrated(page);
      await audit(page, "/account");
    });
  }
}
