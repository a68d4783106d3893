/** Every rule of the pack, in the order the preview lists them. */
import type { Policies } from "@pulumi/policy";
import {
  noDatabaseUrlInVariables,
  requireProtectedProductionEnvironment,
} from "./github-environments.ts";
import {
  noBackwardIncompatibleChanges,
  noDataDependentChanges,
  noDestructiveChanges,
  noOtherLintFindings,
  waivedLintFindings,
} from "./lint-findings.ts";
import { requireLintReport } from "./lint-report.ts";
import { migrationDirectoryIntegrity } from "./migration-directory.ts";
import { noSchemaDrift, noUnplannedSchemaChanges } from "./schema-drift.ts";

/** The rules of the atlas-rollout policy pack. */
export const RULES: Policies = [
  requireLintReport,
  migrationDirectoryIntegrity,
  noDestructiveChanges,
  noDataDependentChanges,
  noBackwardIncompatibleChanges,
  noOtherLintFindings,
  waivedLintFindings,
  noSchemaDrift,
  noUnplannedSchemaChanges,
  requireProtectedProductionEnvironment,
  noDatabaseUrlInVariables,
];
