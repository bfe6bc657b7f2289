package org.assemblypay.ledger;

import static org.assemblypay.ledger.jooq.control.Tables.PAYMENT_REFERENCES;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.assemblypay.ledger.jooq.control.tables.records.PaymentReferencesRecord;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep2;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The control schema's index of mobile-money payment references: which assembly holds each one, so
 * a provider callback is routed to one assembly (in its schema or its own database) with one
 * indexed read. A reference belongs to one assembly for good.
 */
public final class PaymentReferences {
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private final DSLContext control;
  // Rendered once: every USSD confirmation records its reference (D190).
  private final String recordSql;

  PaymentReferences(DSLContext control) {
    this.control = control;
    this.recordSql =
        control.render(
            DSL.insertInto(PAYMENT_REFERENCES)
                .set(PAYMENT_REFERENCES.REFERENCE, DSL.param("reference", UUID.class))
                .set(PAYMENT_REFERENCES.ASSEMBLY_CODE, DSL.param("code", String.class))
                .onConflict(PAYMENT_REFERENCES.REFERENCE)
                .doNothing());
  }

  /**
   * Records that {@code reference} belongs to the assembly; call it before the payment intent is
   * written. Repeating it for the same assembly changes nothing.
   *
   * @return true when this call wrote the row, false when it was already there (another copy of the
   *     same confirmation, on this node or another, got there first)
   * @throws IdempotencyConflictException when the reference already belongs to another assembly
   * @throws UnknownAssemblyException when no such assembly is registered
   */
  public boolean record(UUID reference, String assemblyCode) {
    if (reference == null) {
      throw new InvalidInputException("payment reference is required");
    }
    String code = upper(assemblyCode);
    int inserted = insert(reference, code, assemblyCode);
    if (inserted == 0) {
      String owner = assemblyOf(reference).orElse(code);
      if (!owner.equals(code)) {
        throw new IdempotencyConflictException("payment reference " + reference);
      }
      return false;
    }
    return true;
  }

  /**
   * Records many references of one assembly at once, leaving any already recorded as they are (for
   * payments written before the index existed); returns how many were new.
   */
  public int recordAll(Collection<UUID> references, String assemblyCode) {
    if (references.isEmpty()) {
      return 0;
    }
    String code = upper(assemblyCode);
    InsertValuesStep2<PaymentReferencesRecord, UUID, String> insert =
        control.insertInto(
            PAYMENT_REFERENCES, PAYMENT_REFERENCES.REFERENCE, PAYMENT_REFERENCES.ASSEMBLY_CODE);
    for (UUID reference : references) {
      insert = insert.values(reference, code);
    }
    return insert.onConflict(PAYMENT_REFERENCES.REFERENCE).doNothing().execute();
  }

  /** The code of the assembly holding {@code reference}, if it was recorded. */
  public Optional<String> assemblyOf(UUID reference) {
    if (reference == null) {
      return Optional.empty();
    }
    return control
        .select(PAYMENT_REFERENCES.ASSEMBLY_CODE)
        .from(PAYMENT_REFERENCES)
        .where(PAYMENT_REFERENCES.REFERENCE.eq(reference))
        .fetchOptional(PAYMENT_REFERENCES.ASSEMBLY_CODE);
  }

  /** The one-row insert as a prepared statement on a pooled connection (autocommit). */
  private int insert(UUID reference, String code, String assemblyCode) {
    ConnectionProvider provider = control.configuration().connectionProvider();
    Connection connection = provider.acquire();
    try (PreparedStatement ps = connection.prepareStatement(recordSql)) {
      ps.setObject(1, reference);
      ps.setString(2, code);
      return ps.executeUpdate();
    } catch (SQLException e) {
      if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
        throw new UnknownAssemblyException(assemblyCode);
      }
      throw new DataAccessException("payment reference not recorded: " + e.getMessage(), e);
    } finally {
      provider.release(connection);
    }
  }

  private static String upper(String code) {
    if (code == null || code.isBlank()) {
      throw new InvalidInputException("assembly code is required");
    }
    return code.trim().toUpperCase(Locale.ROOT);
  }
}
