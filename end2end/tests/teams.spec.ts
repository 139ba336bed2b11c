import { test, expect, hydrated } from "./fixtures";
import type { Browser, Page } from "@playwright/test";

const PASSWORD = "quiet harbour lantern";
const shots = "screenshots";

function uniqueName(prefix: string) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

async function register(page: Page, username: string, role: "candidate" | "recruiter", next = "/") {
  await page.goto(`/register?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  if (role === "recruiter") await page.getByRole("radio", { name: /recruiter/ }).check();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("nav-user")).toHaveText(username);
}

/** The owner makes an invitation for `role` on the team page; its path. */
async function invite(owner: Page, role: string): Promise<string> {
  await owner.goto("/team");
  const form = owner.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Create invitation link" }).click();
  await expect(owner.getByTestId("invite-created")).toBeVisible();
  const path = (await owner.getByTestId("invite-link").textContent())!.trim();
  expect(path).toMatch(/^\/join\/[A-Za-z0-9_-]{24}$/);
  return path;
}

/** Someone new, in a browser of their own, registers and joins. */
async function joinAs(browser: Browser, path: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Join");
  await register(page, name, "candidate", path);
  await expect(page).toHaveURL(new RegExp(path));
  await page.getByTestId("accept-invite").click();
  await expect(page).toHaveURL(/\/team$/);
  return page;
}

test("an owner builds a team: invites, shared sets, roles, removal", async ({ page, browser, watch }) => {
  test.setTimeout(240_000);
  watch.allow(/HTTP 404 .*\/sets\//);
  const owner = uniqueName("own");
  await register(page, owner, "recruiter");

  // The team gets a name candidates will see.
  await page.goto("/team");
  await expect(page.getByTestId("team-role")).toHaveText("Owner");
  const rename = page.getByRole("form", { name: "Rename the team" });
  await rename.getByLabel("Team name").fill("Platform hiring");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByTestId("team-name")).toHaveText("Platform hiring");
  await expect(page.getByTestId("nav-team")).toHaveText("Platform hiring");

  // A set, shared by link.
  await page.goto("/sets");
  await hydrated(page);
  await page.getByLabel("Title").fill("Team round");
  await page.getByRole("button", { name: "Create set" }).click();
  await expect(page).toHaveURL(/\/sets\/[0-9a-f-]{36}$/);
  const setUrl = page.url();
  await expect(page.getByTestId("set-activity")).toContainText("created the set Team round");
  await hydrated(page);
  await page.getByLabel("Search", { exact: true }).fill("what is an index");
  await page.getByTestId("picker-results").getByRole("button", { name: /^Add:/ }).first().click();
  await expect(page.getByTestId("set-save-state")).toHaveText("Saved");
  await page.getByRole("button", { name: "Create link" }).click();
  const link = await page.getByTestId("link-url").first().inputValue();

  // A guest candidate sees the team's name, never a login name.
  const guest = await (await browser.newContext()).newPage();
  await guest.goto(link);
  await expect(guest.locator("main")).toContainText("Platform hiring");
  await expect(guest.locator("main")).not.toContainText(owner);

  // A recruiter and an interviewer join.
  const recruiterName = uniqueName("rec");
  const recruiter = await joinAs(browser, await invite(page, "recruiter"), recruiterName);
  await expect(recruiter.getByTestId("team-role")).toHaveText("Recruiter");
  await recruiter.goto("/sets");
  await expect(recruiter.locator("main")).toContainText("Team round");
  const interviewer = await joinAs(browser, await invite(page, "interviewer"), uniqueName("int"));
  await expect(interviewer.getByTestId("team-role")).toHaveText("Interviewer");
  await expect(interviewer.getByTestId("nav-sets")).toHaveCount(0);
  await expect(interviewer.getByTestId("members")).toHaveCount(0);

  // A used invitation says so, and lets nobody in.
  const usedPath = await invite(page, "recruiter");
  const late = await joinAs(browser, usedPath, uniqueName("late"));
  const again = await (await browser.newContext()).newPage();
  await again.goto(usedPath);
  await register(again, uniqueName("again"), "candidate", usedPath);
  await expect(again.getByTestId("invite-problem")).toContainText("already been used");
  await late.close();

  // The owner sees everyone and what they did.
  await page.goto("/team");
  await expect(page.getByTestId("members").getByTestId("member")).toHaveCount(4);
  await expect(page.getByTestId("activity")).toContainText(`${recruiterName} joined as recruiter`);
  await expect(page.getByTestId("activity")).toContainText("created the set Team round");
  for (const theme of ["light", "dark"] as const) {
    await page.context().addCookies([{ name: "rehearse_theme", value: theme, url: page.url() }]);
    await page.reload();
    await page.screenshot({ path: `${shots}/team-${theme}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.screenshot({ path: `${shots}/team-phone.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow, "the team page scrolls sideways on a phone").toBe(false);
  await page.setViewportSize({ width: 1280, height: 860 });

  // Removed: the next request already gets nothing.
  await page.reload();
  await page.locator(`[data-testid=member][data-name="${recruiterName}"]`).getByTestId("remove-member").click();
  await expect(page.getByTestId("members").getByTestId("member")).toHaveCount(3);
  const gone = await recruiter.goto(setUrl);
  expect(gone?.status()).toBe(404);

  // A second team: the nav switches between them.
  await page.goto("/team");
  const start = page.getByRole("form", { name: "Start a team" });
  await start.getByLabel("Name").fill("Data hiring");
  await start.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByTestId("team-name")).toHaveText("Data hiring");
  await expect(page.getByTestId("nav-team")).toHaveText("Data hiring");
  await page.goto("/sets");
  await expect(page.locator("main")).not.toContainText("Team round");
  await page.getByTestId("team-select").selectOption({ label: "Platform hiring" });
  await page.getByTestId("switch-team").click();
  await expect(page.getByTestId("team-name")).toHaveText("Platform hiring");
  await page.screenshot({ path: `${shots}/team-switched.png` });
});
