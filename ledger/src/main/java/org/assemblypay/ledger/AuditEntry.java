package org.assemblypay.ledger;

import java.time.Instant;
import java.util.Optional;

/** One row of an assembly's audit log: who changed what, when, with before and after as JSON. */
public record AuditEntry(
    long id,
    String actor,
    Instant at,
    String action,
    String entity,
    Optional<String> beforeJson,
    Optional<String> afterJson) {}
