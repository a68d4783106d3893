import { z } from "zod";

/**
 * Secrets the GitHub environment can publish, with the fixed names the workflows read
 * (`${{ secrets.DATABASE_URL }}` …). The values never come from plain config: the database URL
 * is the secret config `atlas-rollout:databaseUrl`; the Pulumi ones are taken from the
 * environment of the person (or job) running `pulumi up`.
 */
export const PUBLISHED_SECRET_NAMES = {
  databaseUrl: "DATABASE_URL",
  pulumiBackendUrl: "PULUMI_BACKEND_URL",
  pulumiConfigPassphrase: "PULUMI_CONFIG_PASSPHRASE",
  pulumiAccessToken: "PULUMI_ACCESS_TOKEN",
} as const;

/** Key of a secret the GitHub environment can publish (see {@link PUBLISHED_SECRET_NAMES}). */
export type PublishedSecret = keyof typeof PUBLISHED_SECRET_NAMES;

const publishedSecretKeys = Object.keys(PUBLISHED_SECRET_NAMES) as [
  PublishedSecret,
  ...PublishedSecret[],
];

/** Secrets published when `atlas-rollout:github.secrets` is not set: what a file backend needs. */
export const DEFAULT_PUBLISHED_SECRETS: readonly PublishedSecret[] = [
  "databaseUrl",
  "pulumiBackendUrl",
  "pulumiConfigPassphrase",
];

/** GitHub allows at most this many required reviewers (users and teams together). */
export const MAX_REVIEWERS = 6;

/** GitHub's upper bound for an environment wait timer: 30 days, in minutes. */
export const MAX_WAIT_TIMER_MINUTES = 43_200;

const numericId = (what: string) =>
  z
    .number({ error: `must be the numeric ${what} ID (a number, not a name)` })
    .int(`must be the numeric ${what} ID (a whole number)`)
    .positive(`must be the numeric ${what} ID (a positive number)`);

/**
 * A required reviewer. The GitHub provider takes numeric IDs only; the login is kept next to it
 * so that the stack file stays readable (it is not checked against GitHub).
 * Find the ID with `gh api users/<login> --jq .id`.
 */
const userReviewer = z.strictObject({
  login: z
    .string()
    .regex(/^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/, "must be a GitHub login such as octocat"),
  id: numericId("user"),
});

/** A required reviewer team. Find the ID with `gh api orgs/<org>/teams/<slug> --jq .id`. */
const teamReviewer = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "must be a team slug such as db-owners"),
  id: numericId("team"),
});

const refPattern = z
  .string()
  .min(1, "must not be empty")
  .max(255, "must be at most 255 characters")
  .refine(
    (value) => !/\s/.test(value),
    "must not contain spaces (a fnmatch pattern such as release/*)",
  );

const deploymentBranches = z.discriminatedUnion(
  "policy",
  [
    /** Any branch may deploy (GitHub's default when no policy is set). */
    z.strictObject({ policy: z.literal("all") }),
    /** Only branches with branch protection rules may deploy. */
    z.strictObject({ policy: z.literal("protected") }),
    /** Only the listed branch (and tag) name patterns may deploy. */
    z
      .strictObject({
        policy: z.literal("custom"),
        branches: z.array(refPattern).default([]),
        tags: z.array(refPattern).default([]),
      })
      .refine(
        (value) => value.branches.length + value.tags.length > 0,
        "a custom policy needs at least one pattern in branches or tags",
      ),
  ],
  { error: () => 'must be one of {"policy":"all"}, {"policy":"protected"}, {"policy":"custom",…}' },
);

const variableName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, "must be an upper-case variable name such as MIGRATIONS_DIR")
  .refine((value) => !value.startsWith("GITHUB_"), "must not start with GITHUB_ (reserved)");

/** `atlas-rollout:github` — the GitHub environment the workflows deploy this stack through. */
export const githubSettings = z
  .strictObject({
    /** Repository as `owner/name`. */
    repository: z
      .string()
      .regex(
        /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}\/[A-Za-z0-9._-]{1,100}$/,
        "must be owner/name, such as acme/shop",
      ),
    /**
     * Declare the environments in this stack (needs the `github` provider plugin and a token
     * with administration rights on the repository). `false` leaves them to be managed by hand;
     * turning it off after they were created deletes them on the next `pulumi up`.
     */
    manage: z.boolean().default(true),
    /** GitHub environment name; defaults to the value of `atlas-rollout:environment`. */
    environment: z
      .string()
      .min(1, "must not be empty")
      .max(255, "must be at most 255 characters")
      .optional(),
    /** Required reviewers: a rollout waits until one of them approves. */
    reviewers: z
      .strictObject({
        users: z.array(userReviewer).default([]),
        teams: z.array(teamReviewer).default([]),
      })
      .default({ users: [], teams: [] })
      .refine(
        (value) => value.users.length + value.teams.length <= MAX_REVIEWERS,
        `GitHub allows at most ${MAX_REVIEWERS} required reviewers (users and teams together)`,
      ),
    /** Whoever triggered the rollout may not approve it. */
    preventSelfReview: z.boolean().default(false),
    /** Repository administrators may deploy without the required reviews. */
    canAdminsBypass: z.boolean().default(true),
    /** Minutes to wait after approval before the job starts. */
    waitTimerMinutes: z
      .number()
      .int("must be a whole number of minutes")
      .min(0, "must be 0 or more")
      .max(MAX_WAIT_TIMER_MINUTES, `must be at most ${MAX_WAIT_TIMER_MINUTES} (30 days)`)
      .default(0),
    /** Which branches (and tags) may deploy to the environment. */
    deploymentBranches: deploymentBranches.default({ policy: "all" }),
    /** Secrets to publish to the environment (fixed names, see PUBLISHED_SECRET_NAMES). */
    secrets: z
      .array(
        z.enum(publishedSecretKeys, {
          error: () => `must be one of ${publishedSecretKeys.join(", ")}`,
        }),
      )
      .default([...DEFAULT_PUBLISHED_SECRETS])
      .refine((value) => new Set(value).size === value.length, "must not list a secret twice"),
    /** Non-secret variables to publish (`${{ vars.NAME }}`). */
    variables: z.record(variableName, z.string()).default({}),
    /**
     * A second environment for pull-request previews: no reviewers, any branch, the same secrets.
     * `false` creates none (previews then cannot reach this stack's state or database).
     */
    previewEnvironment: z
      .union([z.string().min(1, "must not be empty").max(255), z.literal(false)], {
        error: () => "must be an environment name or false",
      })
      .optional(),
  })
  .refine(
    (value) =>
      !Object.keys(value.variables).some((name) =>
        (Object.values(PUBLISHED_SECRET_NAMES) as string[]).includes(name),
      ),
    {
      message: `must not reuse a secret name (${Object.values(PUBLISHED_SECRET_NAMES).join(", ")})`,
      path: ["variables"],
    },
  );

export type GithubSettings = z.infer<typeof githubSettings>;
