import { defineConfig } from "@playwright/test";

// The server under test: the debug build, on its own port, on a throwaway
// database that `make test` deletes first. Playwright starts it and stops it.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  // spaced-review.spec.ts moves the server's clock: it runs once everything else
  // has finished, so no other spec sees time jump.
  projects: [
    { name: "main", testIgnore: /spaced-review\.spec\.ts/ },
    { name: "clock", testMatch: /spaced-review\.spec\.ts/, dependencies: ["main"] },
  ],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
      ],
    },
  },
  webServer: {
    command: process.env.E2E_SERVER ?? "../target/debug/rehearse",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      REHEARSE_ADDR: `127.0.0.1:${port}`,
      REHEARSE_DATABASE_URL: process.env.E2E_DATABASE_URL ?? "sqlite://../target/e2e/rehearse-e2e.db",
      LEPTOS_SITE_ROOT: process.env.E2E_SITE_ROOT ?? "../target/site",
      REHEARSE_LOG: "warn",
      // Every spec registers fresh users and guests from 127.0.0.1; the
      // per-address limits themselves are proven by the Rust tests.
      REHEARSE_REGISTRATIONS_PER_HOUR: "100000",
      REHEARSE_GUESTS_PER_HOUR: "100000",
      // POST /__test/clock, for spaced-review.spec.ts only.
      REHEARSE_TEST_CLOCK: "1",
    },
  },
});
