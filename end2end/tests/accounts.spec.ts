import { test, expect, hydrated } from "./fixtures";
import type { Page } from "@playwright/test";

const PASSWORD = "quiet harbour lantern";

function uniqueName(prefix: string) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

async function register(page: Page, username: string, next = "") {
  await page.goto(`/register${next}`);
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function login(page: Page, username: string, password = PASSWORD) {
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

test("register, log out, log back in", async ({ page }) => {
  const name = uniqueName("ada");
  await register(page, name);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("nav-user")).toHaveText(name);

  await hydrated(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(page.getByTestId("nav-user")).toHaveCount(0);

  await page.getByRole("link", { name: "Log in" }).click();
  await login(page, name.toUpperCase()); // usernames are case-insensitive
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("nav-user")).toHaveText(name);
});

test("signed in, the bank's list loads no WASM, and Log out works from it", async ({ page }) => {
  const name = uniqueName("edsger");
  await register(page, name);
  await expect(page.getByTestId("nav-user")).toHaveText(name);
  const wasm: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(r.url());
  });
  await page.goto("/questions?q=cache");
  await expect(page.getByTestId("nav-user")).toHaveText(name);
  await expect(page.locator(".question-link").first()).toBeVisible();
  expect(wasm, "no WASM while reading the list").toEqual([]);
  // "Log out" is a plain form: no code needed, it lands on the start page.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(page.getByTestId("nav-user")).toHaveCount(0);
});

test("a wrong password gets one clear message", async ({ page, watch }) => {
  watch.allow(/HTTP 422 .*\/api\/accounts\/login/);
  watch.allow(/status of 422/);
  const name = uniqueName("grace");
  await register(page, name);
  await hydrated(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
  await page.goto("/login");
  await login(page, name, "not my password");
  await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login/);
});

test("repeated failures are throttled with the time to wait", async ({ page, watch }) => {
  watch.allow(/HTTP (422|429) .*\/api\/accounts\/login/);
  watch.allow(/status of (422|429)/);
  const name = uniqueName("linus");
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await login(page, name, `wrong guess ${i}`);
    await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
  }
  await login(page, name, "wrong guess again");
  await expect(page.getByRole("alert")).toHaveText(/Too many attempts\. Try again in \d+ seconds\./);
});

test("pages that need an account send you to log in and back", async ({ page }) => {
  const name = uniqueName("kath");
  await register(page, name);
  await hydrated(page);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount|\/login\?next=\/account/);
  await login(page, name);
  await expect(page).toHaveURL(/:\d+\/account$/);
  await expect(page.getByTestId("account-summary")).toContainText(name);
});

test("weak passwords are refused with a reason", async ({ page, watch }) => {
  watch.allow(/HTTP 422 .*\/api\/accounts\/register/);
  watch.allow(/status of 422/);
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Username").fill(uniqueName("weak"));
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toContainText("too easy to guess");
});

test("deleting the account removes the user", async ({ page, watch }) => {
  watch.allow(/HTTP 422 .*\/api\/accounts\/(delete|login)/);
  watch.allow(/status of 422/);
  const name = uniqueName("barb");
  await register(page, name, "?next=/account");
  await expect(page).toHaveURL(/:\d+\/account$/);
  await hydrated(page);

  const confirm = page.getByLabel("Your password, to confirm");
  await confirm.fill("not my password at all");
  await page.getByRole("button", { name: /Delete my account/ }).click();
  await expect(page.getByRole("alert")).toContainText("That password is not right");

  await confirm.fill(PASSWORD);
  await page.getByRole("button", { name: /Delete my account/ }).click();
  await expect(page).toHaveURL(/\/\?deleted=1$/);
  await expect(page.getByRole("status")).toContainText("Your account and all its data were deleted");
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  await page.goto("/login");
  await login(page, name);
  await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
});

test("the data export downloads JSON about me", async ({ page }) => {
  const name = uniqueName("exp");
  await register(page, name, "?next=/account");
  await expect(page).toHaveURL(/:\d+\/account$/);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`rehearse-${name}.json`);
  const path = await file.path();
  const json = JSON.parse(require("fs").readFileSync(path, "utf8"));
  expect(json.user.username).toBe(name);
});
