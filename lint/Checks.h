// The lint checks. Each reads a LintContext and reports findings of its rules; Linter.cpp
// runs them in order (the specific missing-opening checks claim losses before the generic
// denied-requirement check reports the rest).
#pragma once

#include "lint/LintContext.h"

namespace cmnet::lint {

// Missing openings (MissingOpenings.cpp, NoteChecks.cpp, ZoneChecks.cpp).
void checkClientsReachServices(LintContext &lc);    // CM003, CM004
void checkManagementPointDatabase(LintContext &lc); // CM005
void checkCompanionPorts(LintContext &lc);          // CM006
void checkPxeTftpRange(LintContext &lc);            // CM007
void checkDeniedRequirements(LintContext &lc);      // CM001
void checkZones(LintContext &lc);                   // CM002
// Note violations (NoteChecks.cpp).
void checkWsusPortPair(LintContext &lc);     // CM008
void checkSqlNamedInstance(LintContext &lc); // CM027
void checkWsusHttpsOff(LintContext &lc);     // CM028
// Overbroad openings (OverbroadOpenings.cpp).
void checkAnySource(LintContext &lc);        // CM010
void checkClientExposure(LintContext &lc);   // CM011, CM012
void checkInternetExposure(LintContext &lc); // CM013
void checkAdvisoryPorts(LintContext &lc);    // CM014
// Hygiene (StatementChecks.cpp, DeclarationChecks.cpp).
void checkStatements(LintContext &lc);   // CM020, CM021, CM022
void checkOverrides(LintContext &lc);    // CM023, CM024
void checkDeclarations(LintContext &lc); // CM025, CM026

} // namespace cmnet::lint
