import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

// A whole practice session and the account pages with the keyboard alone;
// wherever focus lands it must be visible.

/** The focused element shows a focus ring (outline or box-shadow). */
async function focusShows(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
    return ring ? null : `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 40)}" has no visible focus`;
  });
}

/** Tabs forward until the focused element matches, checking every stop. */
async function tabTo(page: Page, matches: (text: string, tag: string, label: string) => boolean, most = 60) {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press("Tab");
    expect(await focusShows(page)).toBeNull();
    const [text, tag, label] = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return [(el.textContent ?? "").trim(), el.tagName.toLowerCase(), el.getAttribute("aria-label") ?? (el as HTMLInputElement).name ?? ""];
    });
    if (matches(text, tag, label)) return;
  }
  throw new Error("never reached the element by Tab");
}

test("a practice session and the account pages by keyboard alone, focus always visible", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/register");
  await hydrated(page);
  await tabTo(page, (_t, tag, name) => tag === "input" && name === "username");
  await page.keyboard.type(`keys${Date.now().toString(36)}`);
  await page.keyboard.press("Tab");
  expect(await focusShows(page)).toBeNull();
  await page.keyboard.type("quiet harbour lantern");
  await tabTo(page, (text, tag) => tag === "button" && text === "Create account");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("nav-user")).toBeVisible();

  // Quick start from the start page.
  await page.goto("/");
  await hydrated(page);
  await tabTo(page, (text, tag) => tag === "button" && text.startsWith("Quick start"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/practice\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await tabTo(page, (_t, tag) => tag === "textarea");
  await page.keyboard.type("An answer typed without a mouse.");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByRole("button", { name: "Reveal the reference answer" })).toBeVisible();
  await tabTo(page, (text, tag) => tag === "button" && text === "Reveal the reference answer");
  await page.keyboard.press("Enter");
  await tabTo(page, (_t, tag, name) => tag === "input" && name === "grade");
  await page.keyboard.press("Space");
  await expect(page.getByRole("radio", { name: /Missed/ })).toBeChecked();
  await tabTo(page, (text, tag) => tag === "button" && text === "Next question");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("progress")).toHaveText(/Question 2 of/);
  await tabTo(page, (text, tag) => tag === "button" && text === "End session now");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/summary$/);

  // The account page: settings and review settings, saved by keyboard.
  await page.goto("/account");
  await hydrated(page);
  await tabTo(page, (text, tag) => tag === "button" && text === "Save settings");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Settings saved.")).toBeVisible();
  await tabTo(page, (text, tag) => tag === "button" && text === "Save review settings");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Review settings saved.")).toBeVisible();
});
