import { test as base, expect, Page } from "@playwright/test";

/** Problems seen in the browser during a test. */
type Watch = { problems: string[]; allow: (pattern: RegExp) => void };

/**
 * Every spec uses this `test`: it records console errors, uncaught page
 * errors and HTTP responses >= 400, and fails the test on any that the
 * test did not declare with `watch.allow(...)`.
 */
export const test = base.extend<{ watch: Watch }>({
  watch: [
    async ({ page }, use) => {
      const problems: string[] = [];
      const allowed: RegExp[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
      });
      page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
      page.on("response", (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
      });
      await use({ problems, allow: (p) => allowed.push(p) });
      const unexpected = problems.filter((p) => !allowed.some((a) => a.test(p)));
      expect(unexpected, "unexpected browser errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the islands are live (the app marks <body> once hydrated). */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}
